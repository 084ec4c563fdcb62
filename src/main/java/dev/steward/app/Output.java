package dev.steward.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.agent.Task;
import dev.steward.support.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the CLI writes the things several commands show: times, a task in full, a tool call's outcome. */
final class Output {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {}

    /** A moment, in this machine's time zone, to the second. */
    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A moment's date alone. */
    static String date(long epochMillis) {
        return time(epochMillis).substring(0, 10);
    }

    /** A task as 'steward tasks show' and the chat's /task print it. */
    static String task(Task t) {
        StringBuilder text = new StringBuilder();
        text.append("Task ").append(t.id()).append(" — ").append(t.status().id()).append('\n');
        text.append("  Input:   ").append(t.input()).append('\n');
        text.append("  Intent:  ").append(t.intent() == null ? "-" : t.intent().id()).append('\n');
        if (t.agent() != null) {
            text.append("  Agent:   ").append(t.agent()).append('\n');
        }
        if (t.plan() != null) {
            text.append("  Plan:    ");
            for (var step : t.plan().path("steps")) {
                text.append(step.path("n").asInt() == 1 ? "" : "           ").append(step.path("n").asInt()).append(". ")
                        .append(step.path("goal").asText()).append(" (").append(step.path("agent").asText())
                        .append(")\n");
            }
            if (t.currentStep() != null && !t.status().finished()) {
                text.append("           now on step ").append(t.currentStep()).append(", iteration ")
                        .append(t.iteration()).append('\n');
            }
        }
        String waiting = ProgressPrinter.howToContinue(t);
        if (waiting != null) {
            text.append("  Waiting: ").append(waiting.replace("\n", "\n           ")).append('\n');
        }
        text.append("  Model:   ").append(t.model() == null ? "-" : t.model()).append('\n');
        text.append("  Tokens:  ").append(t.tokensIn()).append(" in, ").append(t.tokensOut()).append(" out; cost ")
                .append(Money.format(t.costMicros())).append('\n');
        text.append("  Created: ").append(time(t.createdAt()));
        if (t.durationMs() != null) {
            text.append(" (took ").append(t.durationMs()).append(" ms)");
        }
        text.append('\n');
        if (t.answer() != null) {
            text.append("  Answer:  ").append(t.answer().replace("\n", "\n           ")).append('\n');
        }
        if (t.error() != null) {
            text.append("  Error:   ").append(t.error()).append('\n');
        }
        return text.toString();
    }

    /** Prints a tool call's outcome the same way for 'tools call' and 'approvals approve'; returns the exit code. */
    static int outcome(ActionGate.Outcome outcome, boolean json) {
        JsonNode content = outcome instanceof ActionGate.Ran ran ? ran.result().content() : null;
        if (json) {
            ObjectNode node = Json.object().put("status", outcome.status().id()).put("tool", outcome.tool());
            if (outcome.approvalId() != null) {
                node.put("approval_id", outcome.approvalId());
            }
            if (outcome.message() != null) {
                node.put("message", outcome.message());
            }
            if (content != null) {
                node.set("result", content);
            }
            System.out.println(Json.pretty(node));
        } else if (outcome instanceof ActionGate.NeedsApproval waiting) {
            System.out.println("Approval needed: " + waiting.approvalId());
        } else if (content != null) {
            System.out.println(Json.pretty(content));
        }
        return switch (outcome.status()) {
            case OK -> Main.OK;
            case NEEDS_APPROVAL -> {
                System.err.println("steward: " + outcome.message());
                yield Main.NEEDS_APPROVAL;
            }
            case FAILED, DENIED -> {
                System.err.println("steward: " + outcome.tool() + ": " + outcome.message());
                yield Main.TASK_FAILED;
            }
        };
    }
}
