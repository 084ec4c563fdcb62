package dev.steward.code;

/**
 * One run of the project's tests in the sandbox.
 *
 * @param output the end of what the tests printed (stdout then stderr), enough to read a failure
 */
public record TestRun(String command, int exitCode, boolean timedOut, long durationMs, String output) {
    static final int OUTPUT_CHARS = 4_000;

    public boolean passed() {
        return exitCode == 0 && !timedOut;
    }

    /** One line: passed or failed, with the exit code and time. */
    public String summary() {
        return (passed() ? "tests passed" : timedOut ? "tests timed out" : "tests failed (exit " + exitCode + ")")
                + " in " + durationMs + " ms: " + command;
    }

    static String tail(String text) {
        return text.length() <= OUTPUT_CHARS ? text : "…" + text.substring(text.length() - OUTPUT_CHARS);
    }
}
