package dev.steward.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Approval;
import dev.steward.actions.ToolException;
import dev.steward.agent.TaskRunner;
import dev.steward.identity.Accounts.Principal;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/** Tool calls waiting for a yes or no: each user sees and decides their own; role limited has none. */
final class ApprovalApi {
    /** How many rows a listing reads before keeping the caller's own. */
    private static final int SCAN = 2_000;

    private final ActionGate gate;
    private final TaskRunner runner;

    ApprovalApi(ActionGate gate, TaskRunner runner) {
        this.gate = gate;
        this.runner = runner;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/approvals", "Your approval requests (?status=pending&limit=)",
                this::list);
        routes.add(config, HandlerType.POST, "/api/approvals/{id}/approve", "Approve: the call runs now",
                ctx -> decide(ctx, true));
        routes.add(config, HandlerType.POST, "/api/approvals/{id}/reject", "Reject: the call never runs",
                ctx -> decide(ctx, false));
    }

    private void list(Context ctx) {
        Principal me = Access.withTools(ctx);
        String status = ctx.queryParam("status");
        int limit = Bodies.number(ctx, "limit", 100, 1, 1000);
        long now = gate.now();
        List<Approval> mine = gate.approvals(Approval.PENDING.equals(status), SCAN).stream()
                .filter(a -> a.userId().equals(me.userId()))
                .filter(a -> status == null || status.isBlank() || a.statusAt(now).equals(status))
                .limit(limit).toList();
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("approvals");
        mine.forEach(a -> list.add(json(a, now)));
        HttpServer.json(ctx, 200, answer);
    }

    private void decide(Context ctx, boolean approve) {
        Principal me = Access.withTools(ctx);
        String id = ctx.pathParam("id");
        Approval approval = gate.approval(id).filter(a -> a.userId().equals(me.userId()))
                .orElseThrow(() -> ApiError.notFound("approval", id));
        if (!approval.statusAt(gate.now()).equals(Approval.PENDING)) {
            throw ApiError.conflict("approval " + id + " is already " + approval.statusAt(gate.now()),
                    "only a pending request can be decided");
        }
        ObjectNode answer = Json.object();
        String code = approve && !ctx.body().isBlank() ? Bodies.text(Bodies.object(ctx), "code", false) : null;
        if (approve && gate.needsCode(approval) && (code == null || code.isBlank())) {
            throw ApiError.of(403, "code_required", "approval " + id + " needs your one-time code",
                    "enter the 6-digit code from your authenticator app (set one up with 'steward totp setup')");
        }
        try {
            if (approve) {
                // The owner, logged in, decides: that is the confirmation the token stands for on other channels.
                ActionGate.Outcome outcome = gate.approve(id, me.userId(), approval.token(), code);
                answer.set("outcome", outcome.asJson());
            } else {
                gate.reject(id, me.userId());
            }
        } catch (ToolException e) {
            if (code != null && e.getMessage().contains("one-time code")) {
                throw ApiError.of(403, "code_invalid", e.getMessage(), "enter the current code; it changes every 30 s");
            }
            throw ApiError.conflict(e.getMessage(), "reload the approvals; someone may have decided it already");
        }
        answer.set("approval", json(gate.approval(id).orElseThrow(), gate.now()));
        if (approval.taskId() != null) {
            runner.wake(me.userId(), approval.taskId()); // its task goes on now, not at the runner's next look
        }
        HttpServer.json(ctx, 200, answer);
    }

    private ObjectNode json(Approval a, long now) {
        ObjectNode node = Json.object().put("id", a.id()).put("task_id", a.taskId()).put("tool", a.tool());
        node.set("arguments", Json.parse(a.arguments()));
        node.put("what", a.reason() != null ? a.reason() : "run " + a.tool() + " with " + a.arguments())
                .put("risk", a.risk())
                .put("cost_micros", gate.tools().find(a.tool()).map(t -> t.spec().costMicros()).orElse(0L))
                .put("status", a.statusAt(now)).put("created_at", a.createdAt()).put("expires_at", a.expiresAt())
                .put("needs_code", gate.needsCode(a));
        if (!a.untrusted().isEmpty()) {
            node.set("untrusted", Json.mapper().valueToTree(a.untrusted()));
        }
        if (a.decidedAt() != null) {
            node.put("decided_at", a.decidedAt()).put("decided_by", a.decidedBy());
        }
        return node;
    }
}
