package dev.steward.learning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A change Steward proposes from its own history, with the evidence that made it propose it and an evaluation of
 * the change replayed against recorded requests. Nothing changes until a person approves it.
 *
 * @param key what the proposal is about (the same broken model behind the same alias), so that analysing again does
 *            not propose it twice
 * @param base the configuration history's head when it was evaluated: approving after the configuration changed
 *             evaluates it again first
 */
public record Proposal(
        String id,
        @JsonProperty("key") String key,
        Kind kind,
        String title,
        @JsonProperty("user_id") String userId,
        JsonNode evidence,
        Change change,
        Evaluation evaluation,
        Status status,
        String base,
        @JsonProperty("commit") String commitId,
        @JsonProperty("revert_commit") String revertId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("decided_at") Long decidedAt,
        @JsonProperty("decided_by") String decidedBy) {

    /** The kinds of change, as the issue names them; each says what a rollback undoes. */
    public enum Kind {
        ROUTING, PREFERENCE, SKILL, PROFILE, CONFIGURATION, MEMORY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        PENDING, APPLIED, REJECTED, ROLLED_BACK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    Proposal with(Status newStatus, Evaluation newEvaluation, String newBase, String newCommit, String newRevert,
                  Long decided, String by) {
        return new Proposal(id, key, kind, title, userId, evidence, change, newEvaluation, newStatus, newBase, newCommit,
                newRevert, createdAt, decided, by);
    }

    /** The same proposal with the change as it was applied (a memory upkeep run with its run id). */
    Proposal withChange(Change applied) {
        return new Proposal(id, key, kind, title, userId, evidence, applied, evaluation, status, base, commitId,
                revertId, createdAt, decidedAt, decidedBy);
    }
}
