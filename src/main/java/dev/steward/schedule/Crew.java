package dev.steward.schedule;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A crew: members (agent profiles with a goal) and steps run in order, optionally on a schedule; its result goes to
 * the owner's inbox, and a step that failed or is unsure escalates.
 *
 * @param topics   what the research step researches
 * @param schedule a cron for serve to run it on (bundled crews start paused)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Crew(String name, String description, List<Member> members, List<Step> steps, List<String> topics,
                   String schedule) {
    public Crew {
        members = members == null ? List.of() : List.copyOf(members);
        steps = steps == null ? List.of() : List.copyOf(steps);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    public record Member(String agent, String goal) {}

    /**
     * One step: exactly one of {@code check} (a built-in check, offline), {@code task} (a message for the agent,
     * as {@code agent}) or {@code research} (a message per topic, the answers written into a report).
     */
    public record Step(String name, String check, String task, String research, String agent) {}

    public String source() {
        return "crew:" + name;
    }
}
