package dev.steward.schedule;

/**
 * A task to start on a cron: {@code task} is the message, run as {@code agent} (null: the Manager chooses) for
 * {@code userId}, with source {@code schedule:NAME}.
 *
 * @param origin  who wrote it: cli, config (steward.yaml) or bundled
 * @param notifyOwner  whether its result goes to the owner's inbox and channels
 */
public record Schedule(String name, Cron cron, String task, String agent, String userId, boolean notifyOwner,
                       boolean paused, String origin, long createdAt) {
    public static final String CLI = "cli", CONFIG = "config", BUNDLED = "bundled";

    /** The source its tasks record. */
    public String source() {
        return "schedule:" + name;
    }

    Schedule paused(boolean value) {
        return new Schedule(name, cron, task, agent, userId, notifyOwner, value, origin, createdAt);
    }
}
