package dev.steward.schedule;

/** How one step of a crew went. */
public record StepResult(String step, Outcome outcome, String detail, String taskId) {
    public enum Outcome {
        OK, LOW_CONFIDENCE, FAILED, SKIPPED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the owner should look: a failure or an unsure result. */
        boolean escalates() {
            return this == FAILED || this == LOW_CONFIDENCE;
        }
    }

    static StepResult ok(String step, String detail) {
        return new StepResult(step, Outcome.OK, detail, null);
    }

    static StepResult failed(String step, String detail) {
        return new StepResult(step, Outcome.FAILED, detail, null);
    }
}
