package dev.steward.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Json;
import java.time.Instant;
import java.util.List;

/** A rollout as {@code rollout status} and {@code GET /api/rollouts/{name}} show it. */
public record RolloutStatus(Rollout rollout, ArmStats baseline, ArmStats candidate, List<Event> timeline) {
    public record Event(String kind, String message, long at) {}

    /**
     * The JSON shape: {@code name}, {@code state}, {@code phase}, {@code reason}, {@code arms.baseline} and
     * {@code arms.candidate} (each {@code requests}, {@code errors}, {@code p95_ms}, {@code cost_usd}), and more.
     */
    public ObjectNode json() {
        Rollout r = rollout;
        ObjectNode node = summary(r);
        ObjectNode arms = node.putObject("arms");
        arm(arms.putObject("baseline"), r.baseline(), baseline);
        arm(arms.putObject("candidate"), r.candidate(), candidate);
        node.set("gates", r.gates().json());
        var steps = node.putArray("steps");
        r.plan().steps().forEach(s -> steps.add(s.text()));
        var events = node.putArray("timeline");
        timeline.forEach(e -> events.addObject().put("kind", e.kind()).put("message", e.message())
                .put("at", Instant.ofEpochMilli(e.at()).toString()));
        return node;
    }

    /** The fields a list shows. */
    public static ObjectNode summary(Rollout r) {
        ObjectNode node = Json.object().put("name", r.name()).put("state", r.state().id()).put("phase", r.phaseText())
                .put("phase_index", r.phase()).put("reason", r.reason()).put("alias", r.alias())
                .put("baseline", r.baseline()).put("candidate", r.candidate()).put("plan", r.plan().text())
                .put("owner", r.owner());
        node.put("created_at", Instant.ofEpochMilli(r.createdAt()).toString());
        node.put("updated_at", Instant.ofEpochMilli(r.updatedAt()).toString());
        return node;
    }

    private static ObjectNode arm(ObjectNode node, String model, ArmStats stats) {
        node.put("model", model).put("requests", stats.requests()).put("errors", stats.errors())
                .put("error_rate", stats.errorRate()).put("p95_ms", stats.p95Ms())
                .put("cost_usd", stats.costMicros() / 1_000_000.0);
        if (stats.agreement() != null) {
            node.put("agreement", stats.agreement());
        }
        Judgements judged = stats.judgements();
        node.put("verdicts", judged.verdicts()).put("ratings", judged.ratings());
        if (judged.verdicts() > 0) {
            node.put("supervisor_pass_rate", judged.passRate());
        }
        if (judged.ratings() > 0) {
            node.put("thumbs_up_rate", judged.upRate());
        }
        return node;
    }
}
