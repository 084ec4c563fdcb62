package dev.steward.schedule;

import java.util.List;

/**
 * One message in a user's inbox, with how its delivery to each outbound channel went.
 *
 * @param kind what it is about: schedule, crew, hook, briefing, escalation
 */
public record Notification(String id, String userId, String kind, String title, String body, long createdAt,
                           Long readAt, List<Delivery> deliveries) {
    /**
     * @param status pending (waiting for its next attempt, or for quiet hours to end), sent, or failed (gave up)
     */
    public record Delivery(String channel, String status, int attempts, long nextAttemptAt, String lastError) {}
}
