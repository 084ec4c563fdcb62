package dev.steward.learning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What applying a proposal changes, exactly; stored as JSON with its {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Change.PointAlias.class, name = "point_alias"),
        @JsonSubTypes.Type(value = Change.AddPreference.class, name = "add_preference"),
        @JsonSubTypes.Type(value = Change.SetRouting.class, name = "set_routing"),
        @JsonSubTypes.Type(value = Change.RunMemoryUpkeep.class, name = "run_memory_upkeep")})
public sealed interface Change {

    /** One sentence for a person deciding. */
    String describe();

    /** Send a routing alias to another model: {@code routing.aliases.ALIAS} in steward.yaml. */
    record PointAlias(String alias, String from, String to) implements Change {
        @Override
        public String describe() {
            return "routing.aliases." + alias + ": " + from + " → " + to;
        }
    }

    /** Lines a user's requests of one kind carry into the model's context, in preferences.yaml. */
    record AddPreference(@JsonProperty("user_id") String userId, @JsonProperty("task_type") String taskType,
                         List<String> lines) implements Change {
        public AddPreference {
            lines = List.copyOf(lines);
        }

        @Override
        public String describe() {
            return "for " + taskType + " requests of " + userId + ": " + String.join(" ", lines);
        }
    }

    /** A plain routing setting in steward.yaml ({@code routing.local_timeout_seconds: 240}). */
    record SetRouting(String key, String from, String to) implements Change {
        @Override
        public String describe() {
            return "routing." + key + ": " + from + " → " + to;
        }
    }

    /**
     * Run {@code steward memory upkeep --apply} for a user; {@code runId} is the run it made once applied, which a
     * rollback puts back ({@code --undo}).
     *
     * @param fixable what the dry run found that the run would fix, by kind (duplicate, stale, index_drift, …)
     */
    record RunMemoryUpkeep(@JsonProperty("user_id") String userId, @JsonProperty("stale_days") int staleDays,
                           java.util.Map<String, Integer> fixable, @JsonProperty("run_id") String runId)
            implements Change {
        public RunMemoryUpkeep {
            fixable = java.util.Map.copyOf(fixable);
        }

        RunMemoryUpkeep ran(String run) {
            return new RunMemoryUpkeep(userId, staleDays, fixable, run);
        }

        @Override
        public String describe() {
            return "steward memory upkeep --apply for " + userId + " (" + new java.util.TreeMap<>(fixable).entrySet()
                    .stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors
                            .joining(", ")) + ")" + (runId == null ? "" : ": run " + runId);
        }
    }
}
