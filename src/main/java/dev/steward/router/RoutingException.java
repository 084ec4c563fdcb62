package dev.steward.router;

import java.time.Instant;
import java.util.List;

/** The router could not serve a call; each kind carries what a client needs to fix or wait it out. */
public abstract sealed class RoutingException extends RuntimeException {

    RoutingException(String message) {
        super(message);
    }

    /** The caller named a model nobody serves. */
    public static final class UnknownModel extends RoutingException {
        private final List<String> available;

        UnknownModel(String model, List<String> available) {
            super("unknown model '" + model + "'; available: " + String.join(", ", available));
            this.available = List.copyOf(available);
        }

        public List<String> available() {
            return available;
        }
    }

    /** A budget is spent and the configuration says to refuse rather than fall back. */
    public static final class OverBudget extends RoutingException {
        private final Budgets.Denial denial;

        OverBudget(Budgets.Denial denial) {
            super(denial.describe());
            this.denial = denial;
        }

        public String scope() {
            return denial.scope();
        }

        public String period() {
            return denial.period();
        }

        public long limitMicros() {
            return denial.limitMicros();
        }

        public long spentMicros() {
            return denial.spentMicros();
        }

        public Instant resetsAt() {
            return denial.resetsAt();
        }
    }

    /** The prompt does not fit the context of any model that could take it. */
    public static final class PromptTooLarge extends RoutingException {
        private final long promptTokens;
        private final int contextLength;

        PromptTooLarge(long promptTokens, int contextLength, String model) {
            super("the prompt is about " + promptTokens + " tokens but " + model + " takes at most " + contextLength
                    + "; shorten it or choose a model with a longer context");
            this.promptTokens = promptTokens;
            this.contextLength = contextLength;
        }

        public long promptTokens() {
            return promptTokens;
        }

        public int contextLength() {
            return contextLength;
        }
    }

    /** Every model that could take the call failed; the path says what happened at each. */
    public static final class NoModelAvailable extends RoutingException {
        private final String path;

        NoModelAvailable(String path) {
            super("no model could answer: " + path);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }
}
