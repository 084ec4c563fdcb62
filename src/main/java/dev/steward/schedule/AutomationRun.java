package dev.steward.schedule;

/**
 * One run of a schedule, a crew or a webhook.
 *
 * @param kind      schedule, crew or hook
 * @param trigger   what started it: cron (its time came), missed (a time passed while serve was down), manual (run
 *                  now), delivery (a webhook)
 * @param status    running, then the task's end (done, failed, cancelled, waiting_approval, waiting_input) or, for
 *                  a crew, done / escalated / failed
 * @param summary   a line on how it went
 */
public record AutomationRun(String id, String kind, String name, String trigger, String taskId, String status,
                            String summary, long startedAt, Long finishedAt) {
    public static final String SCHEDULE = "schedule", CREW = "crew", HOOK = "hook";
    public static final String RUNNING = "running";
}
