package dev.steward.app;

import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskListener;
import dev.steward.support.Text;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Shows a run's progress on stderr and its answer on stdout as it streams. What the roles decide — the Manager's
 * plan, each step, the Supervisor's verdicts, an approval or a question — is printed as role-labelled lines. On a
 * terminal, the rest is one status line rewritten in place, with a progress bar once there is a plan (step k of n,
 * the estimated time left); in a pipe or log, only the steps worth reading (tool calls, failures) are printed.
 */
final class ProgressPrinter implements TaskListener {
    /** Events printed as lines of their own, on a terminal or not. */
    private static final Set<Kind> LINES = EnumSet.of(Kind.PLAN, Kind.STEP, Kind.REVIEW, Kind.APPROVAL_NEEDED,
            Kind.QUESTION, Kind.BUDGET, Kind.MEMORY);
    /** Besides those, what a pipe or a log gets: the tool calls and a failure. */
    private static final Set<Kind> LOGGED = EnumSet.of(Kind.TOOL_CALL, Kind.TOOL_RESULT, Kind.FAILED);
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final boolean streamAnswer;
    private boolean statusShown;
    private boolean streamed;
    private int step;
    private int steps;
    private long etaSeconds;
    private long stepStartedAt;

    ProgressPrinter(PrintStream out, PrintStream err, boolean interactive, boolean streamAnswer) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.streamAnswer = streamAnswer;
    }

    @Override
    public synchronized void onEvent(TaskEvent event) {
        if (event.type() == Kind.STEP && event.data() != null) {
            step = event.data().path("step").asInt();
            steps = event.data().path("of").asInt();
            etaSeconds = event.data().path("eta_seconds").asLong();
            stepStartedAt = System.currentTimeMillis();
        }
        if (LINES.contains(event.type()) || !interactive && LOGGED.contains(event.type())) {
            clearStatus();
            err.println(label(event.role()) + event.message().replace("\n", "\n" + " ".repeat(13)));
            err.flush();
        } else if (interactive && !streamed && event.type() != Kind.STATUS) {
            err.print("\r\033[2K" + bar() + "… " + label(event.role()) + Text.abbreviate(event.message().replace('\n', ' '), 80));
            err.flush();
            statusShown = true;
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

    /**
     * What to do about a task that stopped to wait for a person, in words with the exact command; null if it does
     * not wait.
     */
    static String howToContinue(Task task) {
        return switch (task.status()) {
            case WAITING_APPROVAL -> "task " + task.id() + " waits for approval " + task.approvalId()
                    + ": approve it with 'steward approvals approve " + task.approvalId() + "' (or reject it), then "
                    + "continue with 'steward tasks resume " + task.id() + "'";
            case WAITING_INPUT -> "task " + task.id() + " asks: " + task.question()
                    + "\nanswer with: steward tasks answer " + task.id() + " \"…\"";
            default -> null;
        };
    }

    private String bar() {
        if (steps <= 1) {
            return "";
        }
        int filled = (int) Math.round(BAR_WIDTH * (step - 1) / (double) steps);
        long left = Math.max(0, etaSeconds - (System.currentTimeMillis() - stepStartedAt) / 1000);
        return "[" + "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled) + "] step " + step + "/" + steps
                + (left > 0 ? " · ~" + left + " s left" : "") + " ";
    }

    private void clearStatus() {
        if (statusShown) {
            err.print("\r\033[2K");
            err.flush();
            statusShown = false;
        }
    }

    private static String label(TaskEvent.AgentRole role) {
        if (role == null) {
            return "";
        }
        String name = role.id().substring(0, 1).toUpperCase(Locale.ROOT) + role.id().substring(1);
        return String.format(Locale.ROOT, "%-10s · ", name);
    }

}
