package dev.steward.learning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What applying a proposal changes, exactly; stored as JSON with its {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Change.PointAlias.class, name = "point_alias"),
        @JsonSubTypes.Type(value = Change.AddPreference.class, name = "add_preference")})
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
}
