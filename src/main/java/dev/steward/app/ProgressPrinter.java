package dev.steward.app;

import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a run's progress on stderr and its answer on stdout as it streams. On a terminal, progress is one line
 * rewritten in place; in a pipe or log, only the steps worth reading (tool calls, failures) are printed.
 */
final class ProgressPrinter implements TaskListener {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final boolean streamAnswer;
    private boolean statusShown;
    private boolean streamed;

    ProgressPrinter(PrintStream out, PrintStream err, boolean interactive, boolean streamAnswer) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.streamAnswer = streamAnswer;
    }

    @Override
    public synchronized void onEvent(TaskEvent event) {
        String who = event.role() == null ? "" : capitalise(event.role()) + " · ";
        if (interactive && !streamed) {
            err.print("\r\033[2K… " + who + event.message());
            err.flush();
            statusShown = true;
        } else if (!interactive && (event.type().startsWith("tool_") || event.type().equals("failed") || event.type().equals("budget"))) {
            err.println("[" + (event.role() == null ? "steward" : event.role()) + "] " + event.message());
        }
    }

    @Override
    public synchronized void onText(String chunk) {
        if (!streamAnswer) {
            return;
        }
        clearStatus();
        out.print(chunk);
        out.flush();
        streamed = true;
    }

    /** Ends the run's output; prints the answer if it did not stream. */
    synchronized void finish(String answer) {
        clearStatus();
        if (streamed) {
            out.println();
        } else if (answer != null && !answer.isEmpty() && streamAnswer) {
            out.println(answer);
        }
        out.flush();
    }

    private void clearStatus() {
        if (statusShown) {
            err.print("\r\033[2K");
            err.flush();
            statusShown = false;
        }
    }

    private static String capitalise(String role) {
        return role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1);
    }
}
