package dev.steward.actions;

/** How to take a call's side effects back: run when a later step of the same action fails. */
public interface Compensation {
    String description();

    void run() throws Exception;

    static Compensation of(String description, ThrowingRunnable action) {
        return new Compensation() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void run() throws Exception {
                action.run();
            }
        };
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
