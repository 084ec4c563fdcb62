package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * Autonomy: the schedules written in steward.yaml ({@code schedules:}) and how schedules, webhooks and notifications
 * behave ({@code automation:}).
 *
 * @param schedules the schedules of steward.yaml; written into the schedule table when {@code steward serve} starts
 * @param settings  the {@code automation:} section
 */
public record AutomationConfig(List<ScheduleEntry> schedules, Settings settings) {
    public AutomationConfig {
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        settings = settings == null ? Settings.defaults() : settings;
    }

    public static AutomationConfig defaults() {
        return new AutomationConfig(null, null);
    }

    /** One schedule as steward.yaml writes it; the schedule part checks the cron, zone and agent. */
    public record ScheduleEntry(String name, String cron, String task, String agent, String tz,
                                @com.fasterxml.jackson.annotation.JsonProperty("notify") Boolean notifyOwner,
                                Boolean paused) {
        public ScheduleEntry {
            notifyOwner = notifyOwner != null && notifyOwner;
            paused = paused != null && paused;
        }
    }

    /** What a schedule does about runs it missed while no {@code steward serve} ran. */
    public enum MissedRuns {
        /** Run it once at start, however many were missed. */
        ONCE,
        /** Skip to its next time. */
        SKIP;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param missedRuns      once (default) or skip
     * @param pollSeconds     how often serve looks for due schedules (default 5)
     * @param maxHookBytes    the largest webhook body accepted (default 1 MiB)
     * @param quietHours      "22:00-07:00": notifications wait in the inbox and go out to the channels when it ends
     * @param webhook         a generic JSON webhook channel (ntfy-compatible), or null
     * @param email           an SMTP channel over connections.email, or null
     */
    public record Settings(MissedRuns missedRuns, Integer pollSeconds, Integer maxHookBytes, String quietHours,
                           WebhookChannel webhook, EmailChannel email) {
        public Settings {
            missedRuns = missedRuns == null ? MissedRuns.ONCE : missedRuns;
            pollSeconds = pollSeconds == null ? 5 : pollSeconds;
            maxHookBytes = maxHookBytes == null ? 1 << 20 : maxHookBytes;
        }

        public static Settings defaults() {
            return new Settings(null, null, null, null, null, null);
        }
    }

    /** POSTs each notification as JSON ({@code topic, title, message}) to {@code url}, with these headers. */
    public record WebhookChannel(String url, String topic, Map<String, String> headers) {
        public WebhookChannel {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /**
     * Sends each notification by SMTP over the mail connection ({@code connections.email}: server, login, from) to
     * {@code to} (default: the account's own address), the subject starting with {@code subjectPrefix} (default
     * "[Steward]").
     */
    public record EmailChannel(String to, String subjectPrefix) {
        public EmailChannel {
            subjectPrefix = subjectPrefix == null ? "[Steward]" : subjectPrefix;
        }
    }
}
