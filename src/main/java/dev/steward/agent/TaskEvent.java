package dev.steward.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * One step of a task's history, persisted and streamed: a transition, a model call, a tool call, the answer.
 *
 * @param type what happened; its {@link Kind#id()} is the event's name in JSON, in the SSE stream and in the web UI
 * @param role who acted, or null for the runtime itself
 */
public record TaskEvent(String taskId, int seq, Kind type, AgentRole role, String message, JsonNode data,
                        long createdAt) {

    /** The kinds of event. The web UI (web/api.js, TASK_EVENT_TYPES) listens for exactly these names. */
    public enum Kind {
        STATUS, STARTED, PLAN, STEP, MODEL_CALL, TOOL_CALL, TOOL_RESULT, APPROVAL_NEEDED, QUESTION, ANSWER, REVIEW,
        COST, MEMORY, BUDGET, DONE, FAILED, CANCELLED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether a task's stream ends with this event. */
        public boolean ends() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }

        /** The event that ends a task in {@code status}. */
        public static Kind ending(TaskStatus status) {
            return switch (status) {
                case DONE -> DONE;
                case FAILED -> FAILED;
                case CANCELLED -> CANCELLED;
                default -> throw new IllegalArgumentException("a task does not end as " + status.id());
            };
        }

        @JsonCreator
        public static Kind fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** The three agents of a task: the Manager plans, the Employee does, the Supervisor checks. */
    public enum AgentRole {
        MANAGER, EMPLOYEE, SUPERVISOR;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static AgentRole fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
