package dev.steward.research;

/**
 * One sentence of a report and what backs it: the passage quoted from source {@code source}, which the check found
 * in that source's text.
 */
public record Finding(String subQuestion, String text, String quote, int source) {}
