package dev.steward.learning;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one analysis of the history found, before any proposal: repeated failures grouped by cause, capability gaps,
 * slow or expensive models, and what users said per kind of task.
 */
public record Findings(@JsonProperty("since") long since, List<FailureGroup> failures, List<Gap> gaps,
                       List<ModelCost> models, List<FeedbackPattern> feedback, List<Proposal> proposed) {

    /**
     * Failures with one cause: a model's calls failing with one class of error, a tool's calls failing, or tasks of
     * one intent failing.
     */
    public record FailureGroup(String cause, String subject, @JsonProperty("error_class") String errorClass, int count,
                               int total, List<String> examples) {
        public double rate() {
            return total == 0 ? 0 : count / (double) total;
        }
    }

    /** One model's calls in the window: how many, how many failed, p95 latency and total cost. */
    public record ModelCost(String model, int calls, int errors, @JsonProperty("p95_ms") long p95Ms,
                            @JsonProperty("cost_micros") long costMicros) {}

    /** Ratings of one user for one kind of task, and the wishes their comments (and corrections) express. */
    public record FeedbackPattern(@JsonProperty("user_id") String userId, @JsonProperty("task_type") String taskType,
                                  int up, int down, List<String> wishes, List<String> comments,
                                  @JsonProperty("task_ids") List<String> taskIds) {}
}
