package dev.steward.actions;

import dev.steward.telemetry.TraceSpan;
import dev.steward.telemetry.Tracing;
import dev.steward.support.Text;
import dev.steward.support.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.config.ActionsConfig.Decision;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.SharedBuckets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The gate every tool call passes, whoever asks (the agent, the CLI, later MCP): the tool must exist, the arguments
 * must match its schema, the policy must allow it (or a person must approve it), the rate limit must have room;
 * then it runs, and every step of that leaves one row in the audit log.
 */
public final class ActionGate {
    /** The kind of outcome, as scripts and models see it: {@code ok}, {@code failed}, {@code needs_approval}, {@code denied}. */
    public enum Status {
        OK, FAILED, NEEDS_APPROVAL, DENIED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What came of a call: it ran (and did or did not succeed), it was refused before it could run, it waits for a
     * person's approval, or the policy (or an expired approval) denied it.
     */
    public sealed interface Outcome permits Ran, Refused, NeedsApproval, Denied {
        String tool();

        Status status();

        /** The error, the denial or what approval is needed, in words; null for a call that ran and succeeded. */
        String message();

        /** The approval this call waits for or was decided under; null for a call no approval touched. */
        String approvalId();

        default boolean ok() {
            return status() == Status.OK;
        }

        /** The outcome as a tool result, for a model: content, or an error that says what happened. */
        default JsonNode asJson() {
            if (this instanceof Ran ran && ran.ok()) {
                return ran.result().content();
            }
            ObjectNode error = Json.object().put("status", status().id()).put("error", message());
            if (approvalId() != null) {
                error.put("approval_id", approvalId());
            }
            if (this instanceof Ran ran && ran.result().content() != null) {
                error.set("content", ran.result().content());
            }
            return error;
        }
    }

    /** The tool ran; its result says whether it succeeded. */
    public record Ran(String tool, ToolResult result, String approvalId) implements Outcome {
        @Override
        public Status status() {
            return result.isError() ? Status.FAILED : Status.OK;
        }

        @Override
        public String message() {
            return result.error();
        }
    }

    /** The call could not run: no such tool, arguments its schema refuses, over the rate limit. */
    public record Refused(String tool, String message, String approvalId) implements Outcome {
        @Override
        public Status status() {
            return Status.FAILED;
        }
    }

    /** The call waits until a person approves it (or rejects it, or the request expires). */
    public record NeedsApproval(String tool, String approvalId, String message) implements Outcome {
        @Override
        public Status status() {
            return Status.NEEDS_APPROVAL;
        }
    }

    /** The policy does not allow the call, or its approval expired before anyone approved it. */
    public record Denied(String tool, String message, String approvalId) implements Outcome {
        @Override
        public Status status() {
            return Status.DENIED;
        }
    }

    /** One step of a multi-step action. */
    public record Step(String tool, JsonNode arguments) {}

    /** The steps that ran, and whether the completed ones were taken back because a later one failed. */
    public record Plan(List<Outcome> steps, boolean rolledBack, List<String> compensations) {
        public boolean ok() {
            return !rolledBack && steps.stream().allMatch(Outcome::ok);
        }
    }

    private final Tools tools;
    private final ActionsConfig config;
    private final Clock clock;
    private final AuditLog audit;
    private final Approvals approvals;
    private final RateLimiter limiter;
    private final SecondFactor secondFactor;

    public ActionGate(Tools tools, ActionsConfig config, Database database, Clock clock) {
        this(tools, config, database, clock, SecondFactor.NONE);
    }

    /** A gate whose approvals of calls that need a one-time code (see {@link Tool#secondFactor}) check it here. */
    public ActionGate(Tools tools, ActionsConfig config, Database database, Clock clock, SecondFactor secondFactor) {
        this(tools, config, database, clock, secondFactor, null);
    }

    /** A gate that counts its rate limits in {@code sharedLimits}, the cluster's buckets (null: in this process). */
    public ActionGate(Tools tools, ActionsConfig config, Database database, Clock clock, SecondFactor secondFactor,
                      SharedBuckets sharedLimits) {
        this.secondFactor = secondFactor;
        this.tools = tools;
        this.config = config;
        this.clock = clock;
        this.audit = new AuditLog(database, clock);
        this.approvals = new Approvals(database);
        this.limiter = new RateLimiter(config.rateLimits(), clock, sharedLimits);
    }

    public Tools tools() {
        return tools;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Passes one call a person makes directly (nothing untrusted before it) through the gate, and runs it if it may. */
    public Outcome call(String name, JsonNode arguments, ToolContext context) {
        return call(name, arguments, context, Provenance.NONE);
    }

    /**
     * Passes one call through the gate and, if it may run now, runs it; traced, whatever the gate decides. After
     * untrusted content entered the task ({@code provenance}), a call that is not read-only and that the user's own
     * words do not explain needs a person's approval even where the policy would allow it (see {@link Provenance}).
     */
    public Outcome call(String name, JsonNode arguments, ToolContext context, Provenance provenance) {
        try (TraceSpan span = Tracing.toolCall(name, context.userId())) {
            return noted(span, decide(name, arguments, context, provenance));
        }
    }

    /** The gate's outcome on the tool call's span: its status, and an error status when the tool failed. */
    private static <O extends Outcome> O noted(TraceSpan span, O outcome) {
        span.outcome(outcome.status().id()).set("steward.approval.id", outcome.approvalId());
        if (outcome instanceof Ran ran && ran.result().isError()) {
            span.fail("tool_error", ran.result().error());
        }
        return outcome;
    }

    private Outcome decide(String name, JsonNode arguments, ToolContext context, Provenance provenance) {
        JsonNode args = arguments == null || arguments.isNull() ? Json.object() : arguments;
        Optional<Tool> found = tools.find(name);
        if (found.isEmpty()) {
            List<String> near = closest(name);
            String message = "no tool named '" + name + "'" + (near.isEmpty() ? "; see 'steward tools list'"
                    : "; did you mean " + String.join(" or ", near) + "?");
            record(context, "tool_call", name, args, "unknown_tool", message, 0, null);
            return new Refused(name, message, null);
        }
        Tool tool = found.get();
        List<String> problems = SchemaValidator.problems(tool.spec().inputSchema(), args);
        if (!problems.isEmpty()) {
            String message = "invalid arguments for " + name + ": " + String.join("; ", problems);
            record(context, "tool_call", name, args, "invalid", message, 0, null);
            return new Refused(name, message, null);
        }
        Risk risk;
        try {
            risk = tool.riskOf(args);
        } catch (RuntimeException e) {
            risk = Risk.DANGEROUS;
        }
        Decision decision = config.decide(name, risk.id(), context.role());
        boolean external = decision == Decision.ALLOW && tool.needsApprovalByDefault() && !config.tools().containsKey(name);
        String codeNeeded;
        try {
            codeNeeded = tool.secondFactor(args);
        } catch (ToolException e) {
            // Arguments the tool cannot read (an amount that is no amount) are refused before anyone is asked.
            String message = "invalid arguments for " + name + ": " + e.getMessage();
            record(context, "tool_call", name, args, "invalid", message, 0, null);
            return new Refused(name, message, null);
        }
        if (external || (decision == Decision.ALLOW && codeNeeded != null)) {
            decision = Decision.APPROVE;
        }
        String unexplained = null;
        if (decision == Decision.ALLOW && provenance.tainted() && risk != Risk.READ) {
            unexplained = provenance.unexplained(tool.spec().inputSchema(), args).orElse(null);
            if (unexplained != null) {
                decision = Decision.APPROVE;
            }
        }
        if (decision == Decision.DENY) {
            String message = "denied by policy: " + name + " (" + risk.id() + ") is not allowed"
                    + (context.role() == null ? "" : " for role '" + context.role().id() + "'")
                    + "; see actions.policy in steward.yaml";
            record(context, "denial", name, args, "denied", message, 0, null);
            return new Denied(name, message, null);
        }
        String limited = limiter.tryAcquire(context.userId(), risk);
        if (limited != null) {
            record(context, "tool_call", name, args, "rate_limited", limited, 0, null);
            return new Refused(name, limited, null);
        }
        if (decision == Decision.APPROVE) {
            long now = clock.millis();
            String reason = unexplained != null ? name + " is " + risk.id() + " and comes after untrusted content ("
                    + provenance.describe() + "); " + unexplained
                    : external ? name + " is " + tool.approvalByDefaultReason()
                    : name + " is " + risk.id() + (config.tools().get(name) == Decision.APPROVE
                    ? " and configured to need approval" : "; " + risk.id() + " calls need approval");
            if (codeNeeded != null) {
                reason += "; " + codeNeeded + ", so approving needs a one-time code (--code)";
            }
            String preview = previewOf(tool, args);
            if (preview != null) {
                reason = preview + "\n(" + reason + ")";
            }
            Approval approval = approvals.create(context.userId(), context.role(), context.taskId(), name, args, risk,
                    reason, now, now + config.approvalTtlSeconds() * 1000L, provenance.untrusted());
            String message = "needs approval: " + reason + ". Approve with 'steward approvals approve " + approval.id()
                    + "' within " + config.approvalTtlSeconds() + " s";
            record(context, "approval", name, args, "requested", message, 0, approval.id());
            return new NeedsApproval(name, approval.id(), message);
        }
        return execute(tool, args, context, null);
    }

    private Ran execute(Tool tool, JsonNode args, ToolContext context, String approvalId) {
        ToolResult result;
        try {
            result = tool.call(args, approvalId == null ? context : context.underApproval(approvalId));
            if (result == null) {
                result = ToolResult.failed("the tool returned nothing");
            }
        } catch (ToolException e) {
            result = ToolResult.failed(e.getMessage());
        } catch (RuntimeException e) {
            result = ToolResult.failed(Errors.message(e));
        }
        String name = tool.spec().name();
        record(context, "tool_call", name, args, result.isError() ? "failed" : "ok",
                result.isError() ? result.error() : null, tool.spec().costMicros(), approvalId);
        return new Ran(name, result, approvalId);
    }

    /** Approves a pending request and carries out the call it holds; an expired request is rejected instead. */
    public Outcome approve(String id, String decidedBy, String token) {
        return approve(id, decidedBy, token, null);
    }

    /**
     * Approves with the approving user's one-time code, which a call that needs a second factor must have: without a
     * valid one the request stays pending and the refusal says how to give one.
     */
    public Outcome approve(String id, String decidedBy, String token, String code) {
        Approval approval = pending(id);
        ToolContext context = new ToolContext(approval.userId(), approval.taskId(), approval.role());
        JsonNode args = Json.parse(approval.arguments());
        long now = clock.millis();
        if (token != null && !token.equals(approval.token())) {
            record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(), args, "bad_token",
                    "the confirmation token does not match", 0, id);
            throw new ToolException("approval " + id + ": the confirmation token does not match");
        }
        if (now >= approval.expiresAt()) {
            approvals.decide(id, "expired", decidedBy, now);
            record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(), args, "expired",
                    "expired before it was approved; counted as rejected", 0, id);
            return new Denied(approval.tool(), "approval " + id + " expired; it counts as rejected. Ask again.", id);
        }
        checkSecondFactor(approval, args, decidedBy, code);
        if (!approvals.decide(id, "approved", decidedBy, now)) {
            throw new ToolException("approval " + id + " was decided by someone else just now");
        }
        record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(), args, "approved", null, 0, id);
        Optional<Tool> tool = tools.find(approval.tool());
        if (tool.isEmpty()) {
            approvals.saveResult(id, "failed", "no tool named " + approval.tool());
            return new Refused(approval.tool(), "no tool named " + approval.tool() + " any more", id);
        }
        Ran outcome;
        try (TraceSpan span = Tracing.toolCall(approval.tool(), approval.userId())) {
            outcome = noted(span, execute(tool.get(), args, context, id));
        }
        approvals.saveResult(id, outcome.ok() ? "done" : "failed",
                outcome.ok() ? Json.write(outcome.result().content()) : outcome.message());
        return outcome;
    }

    private void checkSecondFactor(Approval approval, JsonNode args, String decidedBy, String code) {
        String needed = tools.find(approval.tool()).map(t -> t.secondFactor(args)).orElse(null);
        if (needed == null) {
            return;
        }
        String id = approval.id();
        if (code == null || code.isBlank()) {
            record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(), args, "code_required",
                    needed, 0, id);
            throw new ToolException("approval " + id + " needs a one-time code: " + needed + ". Approve with "
                    + "'steward approvals approve " + id + " --code 123456' (the code from your authenticator app; "
                    + "set one up with 'steward totp setup')");
        }
        if (!secondFactor.verify(decidedBy, code.strip())) {
            record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(), args, "bad_code",
                    "the one-time code was not valid", 0, id);
            throw new ToolException("approval " + id + ": the one-time code is not valid for " + decidedBy
                    + " (codes change every 30 s; check the clock, or run 'steward totp setup' if none is set up)");
        }
    }

    /** Whether approving this request needs a one-time code as well (for the approval card). */
    public boolean needsCode(Approval approval) {
        try {
            return tools.find(approval.tool()).map(t -> t.secondFactor(Json.parse(approval.arguments())) != null)
                    .orElse(false);
        } catch (ToolException e) {
            return true;
        }
    }

    private static String previewOf(Tool tool, JsonNode args) {
        try {
            return tool.preview(args);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Rejects a pending request; the call never runs. */
    public Approval reject(String id, String decidedBy) {
        Approval approval = pending(id);
        long now = clock.millis();
        if (!approvals.decide(id, "rejected", decidedBy, now)) {
            throw new ToolException("approval " + id + " was decided by someone else just now");
        }
        record(new ToolContext(decidedBy, approval.taskId()), "approval", approval.tool(),
                Json.parse(approval.arguments()), "rejected", null, 0, id);
        return approvals.find(id).orElseThrow();
    }

    private Approval pending(String id) {
        Approval approval = approvals.find(id).orElseThrow(() -> new ToolException(
                "no approval '" + id + "' (see 'steward approvals list')"));
        if (!approval.status().equals(Approval.PENDING)) {
            throw new ToolException("approval " + id + " is already " + approval.status());
        }
        return approval;
    }

    public List<Approval> approvals(boolean pendingOnly, int limit) {
        return approvals.list(pendingOnly, limit);
    }

    public Optional<Approval> approval(String id) {
        return approvals.find(id);
    }

    public long now() {
        return clock.millis();
    }

    /**
     * Runs steps in order. When one does not succeed (it failed, was denied or needs approval), the compensations of
     * the completed steps run in reverse order, each recorded in the audit log.
     */
    public Plan runAll(List<Step> steps, ToolContext context) {
        List<Outcome> done = new ArrayList<>();
        for (Step step : steps) {
            Outcome outcome = call(step.tool(), step.arguments(), context);
            done.add(outcome);
            if (!outcome.ok()) {
                return new Plan(done, true, rollBack(done.subList(0, done.size() - 1), context, outcome));
            }
        }
        return new Plan(done, false, List.of());
    }

    private List<String> rollBack(List<Outcome> completed, ToolContext context, Outcome failure) {
        List<String> compensations = new ArrayList<>();
        for (int i = completed.size() - 1; i >= 0; i--) {
            Outcome step = completed.get(i);
            Compensation undo = step instanceof Ran ran ? ran.result().undo() : null;
            if (undo == null) {
                record(context, "compensation", step.tool(), null, "none",
                        "nothing to undo after " + failure.tool() + " failed", 0, null);
                continue;
            }
            String outcome;
            try {
                undo.run();
                outcome = "ok";
            } catch (Exception e) {
                outcome = "failed";
                compensations.add(undo.description() + " FAILED: " + e.getMessage());
            }
            if (outcome.equals("ok")) {
                compensations.add(undo.description());
            }
            record(context, "compensation", step.tool(), Json.object().put("undo", undo.description()), outcome,
                    "after " + failure.tool() + " failed: " + failure.message(), 0, null);
        }
        return compensations;
    }

    private void record(ToolContext context, String kind, String tool, JsonNode args, String outcome, String detail,
                        long cost, String approvalId) {
        audit.append(context.userId(), kind, tool, args, outcome, detail, cost, context.taskId(), approvalId);
    }

    /** Tool names near a mistyped one: by edit distance, or sharing its prefix before the dot. */
    List<String> closest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> names = tools.all().stream().map(t -> t.spec().name()).toList();
        List<String> near = names.stream()
                .filter(n -> Text.distance(lower, n) <= Math.max(2, n.length() / 3))
                .sorted(Comparator.comparingInt(n -> Text.distance(lower, n)))
                .limit(3).toList();
        if (near.isEmpty() && lower.contains(".")) {
            String prefix = lower.substring(0, lower.indexOf('.') + 1);
            near = names.stream().filter(n -> n.startsWith(prefix)).limit(7).toList();
        }
        return near;
    }
}
