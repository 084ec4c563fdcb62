package dev.steward.schedule;

/**
 * What a schedule's task text asks for: a message for the agent, or one of two built-in jobs written with an
 * {@code @}: {@code @briefing} (deliver the briefing to the notification channels) and {@code @crew NAME}.
 */
sealed interface ScheduledWork {
    String BRIEFING = "@briefing";
    String CREW = "@crew ";

    record AgentTask(String text) implements ScheduledWork {}

    record Briefing() implements ScheduledWork {}

    record Crew(String name) implements ScheduledWork {}

    static ScheduledWork of(String task) {
        String text = task.strip();
        if (text.equals(BRIEFING)) {
            return new Briefing();
        }
        if (text.startsWith(CREW)) {
            return new Crew(text.substring(CREW.length()).strip());
        }
        return new AgentTask(text);
    }
}
