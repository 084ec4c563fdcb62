package dev.steward.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phases of a rollout, as written on the command line: {@code shadow:50,5%:100,25%:30m,100%}. Each step but the
 * last ends after a number of candidate requests or a duration; the last is {@code 100%}, promotion.
 */
public record RolloutPlan(List<Step> steps) {
    public static final String GRAMMAR = "PLAN is comma-separated steps: shadow:N, P%:N or P%:DURATION (N candidate"
            + " requests, DURATION like 90s, 30m, 2h), ending in 100% (promote); example \"shadow:50,5%:100,25%:200,100%\"";
    /** The grammar as picocli help text, where a percent sign is written twice. */
    public static final String GRAMMAR_HELP = "PLAN is comma-separated steps: shadow:N, P%%:N or P%%:DURATION (N"
            + " candidate requests, DURATION like 90s, 30m, 2h), ending in 100%% (promote)";
    private static final Pattern SHADOW = Pattern.compile("shadow:(\\d+)");
    private static final Pattern SHARE = Pattern.compile("(\\d{1,2}(?:\\.\\d+)?)%:(\\d+)(s|m|h)?");

    public RolloutPlan {
        steps = List.copyOf(steps);
    }

    /** One phase. */
    public sealed interface Step permits Shadow, Share, Promote {
        /** How the step is written in a plan. */
        String text();
    }

    /** The candidate gets a copy of every call for {@code requests} calls; it answers nobody. */
    public record Shadow(int requests) implements Step {
        @Override
        public String text() {
            return "shadow:" + requests;
        }
    }

    /**
     * A share of users (sticky) goes to the candidate, until {@code requests} candidate calls (when {@code duration} is
     * null) or until {@code duration} has passed.
     */
    public record Share(double percent, int requests, Duration duration) implements Step {
        @Override
        public String text() {
            String share = percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
            return share + "%:" + (duration == null ? String.valueOf(requests) : durationText(duration));
        }
    }

    /** Everyone to the candidate: the alias is rewritten and the rollout ends. */
    public record Promote() implements Step {
        @Override
        public String text() {
            return "100%";
        }
    }

    /** @throws IllegalArgumentException naming the bad step and showing the grammar */
    public static RolloutPlan parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the plan is empty; " + GRAMMAR);
        }
        String[] parts = text.split(",");
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip().toLowerCase(Locale.ROOT);
            boolean last = i == parts.length - 1;
            steps.add(step(part, last));
        }
        return new RolloutPlan(steps);
    }

    private static Step step(String part, boolean last) {
        if (part.equals("100%")) {
            if (!last) {
                throw new IllegalArgumentException("'100%' promotes, so it must be the last step; " + GRAMMAR);
            }
            return new Promote();
        }
        if (last) {
            throw new IllegalArgumentException("the plan must end in 100% (promote), not '" + part + "'; " + GRAMMAR);
        }
        Matcher shadow = SHADOW.matcher(part);
        if (shadow.matches()) {
            return new Shadow(positive(shadow.group(1), part));
        }
        Matcher share = SHARE.matcher(part);
        if (share.matches()) {
            double percent = Double.parseDouble(share.group(1));
            if (percent <= 0) {
                throw new IllegalArgumentException("'" + part + "': a share must be above 0%; " + GRAMMAR);
            }
            int amount = positive(share.group(2), part);
            Duration duration = share.group(3) == null ? null : switch (share.group(3)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            return new Share(percent, duration == null ? amount : 0, duration);
        }
        throw new IllegalArgumentException("'" + part + "' is not a step; " + GRAMMAR);
    }

    private static int positive(String digits, String part) {
        try {
            int n = Integer.parseInt(digits);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException tooLarge) {
            // reported below
        }
        throw new IllegalArgumentException("'" + part + "': the count must be a whole number from 1; " + GRAMMAR);
    }

    private static String durationText(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    public Step step(int index) {
        return steps.get(Math.min(index, steps.size() - 1));
    }

    /** The plan as written, normalised. */
    public String text() {
        return String.join(",", steps.stream().map(Step::text).toList());
    }
}
