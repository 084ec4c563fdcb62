package dev.steward.memory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One version of a fact. A change closes the current version ({@code validTo}, {@code supersededBy}) and opens a new
 * one, so the history stays: "John was our CFO until 2023; Sarah is our CFO now".
 *
 * @param subject   who or what it is about, as said: {@value #USER} (the user), {@value #US} (the user's
 *                  organisation) or a name such as "Alice"
 * @param attribute what about it: "company", "email", "cfo", "prefers", "note"
 * @param source    message, task or import
 */
public record Fact(String id, String userId, String subject, String attribute, String value, Category category,
                   double confidence, String source, String sourceRef, long validFrom, Long validTo,
                   String supersededBy, long createdAt, long lastAccessedAt, int accessCount) {
    public static final String USER = "user";
    public static final String US = "us";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    public boolean current() {
        return validTo == null;
    }

    /** The fact as a sentence addressed to the user, in the present or (for history) the past. */
    public String statement() {
        String verb = current() ? "is" : "was";
        String sentence = switch (subject.toLowerCase(java.util.Locale.ROOT)) {
            case USER -> switch (attribute) {
                case "note" -> value;
                case "prefers" -> "You " + (current() ? "prefer " : "preferred ") + value;
                case "uses" -> "You " + (current() ? "use " : "used ") + value;
                case "works at" -> "You " + (current() ? "work at " : "worked at ") + value;
                case "location" -> "You " + (current() ? "are" : "were") + " based in " + value;
                case "sells" -> "You " + (current() ? "sell " : "sold ") + value;
                default -> "Your " + attribute + " " + verb + " " + value;
            };
            case US -> switch (attribute) {
                case "uses" -> "Your team " + (current() ? "uses " : "used ") + value;
                case "location" -> "Your organisation " + (current() ? "is" : "was") + " based in " + value;
                case "sells" -> "Your organisation " + (current() ? "sells " : "sold ") + value;
                case "working on" -> "Your team " + (current() ? "is" : "was") + " working on " + value;
                default -> value + " " + verb + " your " + attribute;
            };
            default -> switch (attribute) {
                case "works at" -> subject + (current() ? " works at " : " worked at ") + value;
                case "reports to" -> subject + (current() ? " reports to " : " reported to ") + value;
                case "leads" -> subject + (current() ? " leads " : " led ") + value;
                default -> subject + "'s " + attribute + " " + verb + " " + value;
            };
        };
        return current() ? sentence : sentence + " (until " + DAY.format(Instant.ofEpochMilli(validTo)) + ")";
    }

    Fact closed(long at, String successor) {
        return new Fact(id, userId, subject, attribute, value, category, confidence, source, sourceRef, validFrom, at,
                successor, createdAt, lastAccessedAt, accessCount);
    }
}
