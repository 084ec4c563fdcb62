package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Approval;
import dev.steward.actions.Compensation;
import dev.steward.actions.Provenance;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.agent.TaskEvent.AgentRole;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.router.ChatMessage;
import dev.steward.router.ToolCall;
import dev.steward.support.DataFence;
import dev.steward.support.Errors;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Employee's tool calls, one at a time: through the ActionGate, or a question for the user. It records what
 * each call did; what that means for the run (carry on, wait, fail) its {@link Outcome} tells the run.
 */
final class ToolStep {
    /** How a call ended for the run. */
    sealed interface Outcome {}

    /** The call has its result in the conversation; {@code undo} reverses it if the task is cancelled. */
    record Called(Optional<Compensation> undo) implements Outcome {}

    /** The Employee asked the user; the task waits for the answer. */
    record WaitsForAnswer(String question) implements Outcome {}

    /** The gate holds the call until a person approves or rejects it. */
    record WaitsForApproval(String approvalId) implements Outcome {}

    /** The run cannot go on. */
    record Fails(String reason) implements Outcome {}

    private final Agent agent;
    private final RunState state;
    private final RunRecord record;
    /** What the user asked, in their words: with their answers and earlier messages, what explains a call. */
    private final String input;
    /** The first pending call is repeated after a restart: its event says so. */
    private boolean retrying;

    ToolStep(Agent agent, RunState state, RunRecord record, String input) {
        this.agent = agent;
        this.input = input;
        this.state = state;
        this.record = record;
    }

    /** Carries out the first pending call of the last turn. */
    Outcome next() {
        ToolCall call = state.pendingCalls.getFirst();
        int times = state.callCounts.merge(signature(call), 1, Integer::sum);
        if (times >= agent.config.loopRepeats() && !state.callStarted) {
            return new Fails("loop detected: " + call.name() + " was called " + times + " times with the same "
                    + "arguments " + Text.abbreviate(Json.write(call.arguments()), 120) + " in step "
                    + (state.step + 1));
        }
        boolean asksUser = call.name().equals(Run.ASK_USER);
        state.callStarted = !asksUser; // saved with the event: a restart from here knows the tool may have run
        record.emit(Kind.TOOL_CALL, AgentRole.EMPLOYEE, "Calling " + call.name() + (retrying ? " again: it was in flight when "
                        + "the process stopped, and it only reads" : ""),
                Json.object().put("tool", call.name()).set("arguments", redacted(call.arguments())));
        retrying = false;
        if (asksUser) {
            return ask(call);
        }
        ActionGate.Outcome outcome;
        try {
            outcome = agent.gate.call(call.name(), call.arguments(),
                    new ToolContext(record.task().userId(), record.task().id()), provenance());
        } catch (RuntimeException e) {
            outcome = new ActionGate.Refused(call.name(), Errors.message(e), null);
        }
        if (outcome instanceof ActionGate.NeedsApproval) {
            return waitForApproval(call, outcome);
        }
        Optional<Compensation> undo = outcome instanceof ActionGate.Ran ran && ran.ok()
                ? Optional.ofNullable(ran.result().undo()) : Optional.empty();
        done(call, outcome.ok(), outcome.status().id(),
                outcome.ok() ? call.name() + " done" : call.name() + " failed: " + outcome.message(),
                Json.write(outcome.asJson()), outcome.approvalId(), outcome instanceof ActionGate.Ran);
        return new Called(undo);
    }

    private Outcome ask(ToolCall call) {
        String question = call.arguments().path("question").asText("(the agent asked nothing)");
        state.question = question;
        record.enter(TaskStatus.WAITING_INPUT, b -> b.question(question));
        record.emit(Kind.QUESTION, AgentRole.EMPLOYEE, question, Json.object().put("question", question));
        return new WaitsForAnswer(question);
    }

    private Outcome waitForApproval(ToolCall call, ActionGate.Outcome outcome) {
        state.approvalId = outcome.approvalId();
        record.enter(TaskStatus.WAITING_APPROVAL, b -> b.approvalId(outcome.approvalId()));
        long cost = agent.gate.tools().find(call.name()).map(t -> t.spec().costMicros()).orElse(0L);
        String after = state.untrusted.isEmpty() ? "" : " — after untrusted content (" + provenance().describe() + ")";
        record.emit(Kind.APPROVAL_NEEDED, AgentRole.EMPLOYEE, "Needs approval: " + describe(call) + after + ". Approve with 'steward "
                        + "approvals approve " + outcome.approvalId() + "', then 'steward tasks resume "
                        + record.task().id() + "'",
                approvalData(outcome.approvalId(), call, cost));
        return new WaitsForApproval(outcome.approvalId());
    }

    private ObjectNode approvalData(String approvalId, ToolCall call, long cost) {
        ObjectNode data = Json.object().put("approval_id", approvalId).put("tool", call.name())
                .put("what", describe(call)).put("cost_micros", cost);
        data.set("arguments", redacted(call.arguments()));
        if (!state.untrusted.isEmpty()) {
            data.set("untrusted", Json.mapper().valueToTree(state.untrusted));
        }
        return data;
    }

    /**
     * The approval the task waits for: once decided, its outcome becomes the tool's result; while it is not, the
     * task is let go, so that whoever sees the decision first carries it on.
     */
    Outcome decision() {
        Optional<Approval> found = state.approvalId == null ? Optional.empty() : agent.gate.approval(state.approvalId);
        if (found.isEmpty() || state.pendingCalls.isEmpty()) {
            return new Fails("the approval this task waited for is gone");
        }
        Approval approval = found.get();
        String status = approval.statusAt(agent.gate.now());
        ToolCall call = state.pendingCalls.getFirst();
        if (List.of("done", "failed", "rejected", "expired").contains(status)) {
            record.transition(TaskStatus.RUNNING);
        }
        switch (status) {
            case "done" -> done(call, true, "ok", call.name() + " done (approved by " + approval.decidedBy() + ")",
                    approval.result(), approval.id(), true);
            case "failed" -> done(call, false, "failed", call.name() + " failed after approval: " + approval.result(),
                    Json.write(Json.object().put("status", "failed").put("error", approval.result())), approval.id(),
                    true);
            case "rejected", "expired" -> done(call, false, status, call.name() + " was " + status
                    + (status.equals("rejected") ? " by " + approval.decidedBy() : " before anyone approved it"),
                    Json.write(Json.object().put("status", status).put("error", "the user did not approve this call ("
                            + status + "); do not try it again: tell the user what you could not do")), approval.id(),
                    false);
            default -> { // pending, or approved and being carried out right now
                record.release();
                return new WaitsForApproval(approval.id());
            }
        }
        state.approvalId = null;
        record.update(b -> b.approvalId(null));
        return new Called(Optional.empty());
    }

    /**
     * After a restart, a tool call that was in flight is repeated only if it merely reads.
     *
     * @return why the run must fail instead, when the call may have acted
     */
    Optional<String> retryInFlight() {
        ToolCall call = state.pendingCalls.getFirst();
        Optional<Tool> tool = agent.gate.tools().find(call.name());
        Risk risk;
        try {
            risk = tool.isPresent() ? tool.get().riskOf(call.arguments()) : null;
        } catch (RuntimeException e) {
            risk = null;
        }
        if (risk == Risk.READ) {
            state.callStarted = false;
            state.callCounts.merge(signature(call), -1, Integer::sum);
            retrying = true;
            return Optional.empty();
        }
        return Optional.of("the process stopped while step " + (state.step + 1) + " was running " + call.name()
                + " (" + (risk == null ? "unknown risk" : risk.id()) + "); it may or may not have happened, so it is "
                + "not repeated: check its effect, then ask again");
    }

    /** @param ran whether the tool itself ran, so that its result, unless its spec trusts it, is untrusted content */
    private void done(ToolCall call, boolean ok, String status, String summary, String content, String approvalId,
                      boolean ran) {
        state.usedMemoryTools |= call.name().startsWith("memory.");
        boolean untrusted = ran && !agent.gate.tools().find(call.name()).map(t -> t.spec().trustedResult()).orElse(false);
        if (untrusted) {
            state.untrusted.add(new Provenance.Untrusted(call.name(), snippet(content)));
            state.untrustedText.add(plainText(content, RunState.MAX_UNTRUSTED_CHARS));
            if (state.untrusted.size() > RunState.MAX_UNTRUSTED) {
                state.untrusted.removeFirst();
                state.untrustedText.removeFirst();
            }
        }
        state.messages.add(ChatMessage.tool(call, untrusted ? DataFence.wrap(call.name(), content) : content));
        state.pendingCalls.removeFirst();
        state.callStarted = false;
        ObjectNode data = Json.object().put("tool", call.name()).put("ok", ok).put("status", status)
                .put("summary", Text.abbreviate(summary, 300));
        if (approvalId != null) {
            data.put("approval_id", approvalId);
        }
        if (untrusted) {
            data.put("untrusted", true);
        }
        record.emit(Kind.TOOL_RESULT, AgentRole.EMPLOYEE, summary, data);
    }

    /** What the user's own words are in this task, and the untrusted content read so far. */
    Provenance provenance() {
        List<String> trusted = new ArrayList<>();
        trusted.add(input);
        state.history.stream().filter(m -> m.role() == ChatMessage.Role.USER && m.content() != null)
                .forEach(m -> trusted.add(m.content()));
        trusted.addAll(state.answers);
        return new Provenance(trusted, state.untrusted, state.untrustedText);
    }

    /** The start of a result's text for an approval card: its string values, secrets cut out. */
    private String snippet(String content) {
        return agent.redact(Text.abbreviate(plainText(content, 400).replaceAll("\\s+", " ").strip(), 200));
    }

    /** A result's string values, one a line (or the result itself when it is not JSON), up to about {@code max}. */
    static String plainText(String content, int max) {
        JsonNode json;
        try {
            json = Json.parse(content);
        } catch (RuntimeException notJson) {
            return Text.abbreviate(content, max);
        }
        StringBuilder text = new StringBuilder();
        collectText(json, text, max);
        return Text.abbreviate(text.toString(), max);
    }

    private static void collectText(JsonNode node, StringBuilder text, int max) {
        if (text.length() > max) {
            return;
        }
        if (node.isTextual()) {
            text.append(text.isEmpty() ? "" : "\n").append(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collectText(child, text, max));
        }
    }

    /**
     * A tool call's name and a digest of its arguments: what loop detection counts. A digest, so that the arguments
     * (which may hold what the privacy filter cuts out of texts) are not written into the checkpoint as keys.
     */
    static String signature(ToolCall call) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(call.arguments()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return call.name() + " " + java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode redacted(JsonNode arguments) {
        return agent.memory == null ? arguments : Json.parse(agent.memory.redact(Json.write(arguments)));
    }

    /** Plain words for what a call will do: the tool's description and its arguments. */
    private String describe(ToolCall call) {
        String what = agent.gate.tools().find(call.name()).map(t -> t.spec().description()).orElse(call.name());
        StringBuilder text = new StringBuilder(call.name()).append(" — ").append(what.replaceAll("\\.$", ""));
        List<String> args = new ArrayList<>();
        call.arguments().properties().forEach(e -> args.add(e.getKey() + "=" + Text.abbreviate(
                e.getValue().isTextual() ? e.getValue().asText() : Json.write(e.getValue()), 60)));
        if (!args.isEmpty()) {
            text.append(" (").append(agent.redact(String.join(", ", args))).append(')');
        }
        return text.toString();
    }
}
