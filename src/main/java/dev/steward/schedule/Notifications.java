package dev.steward.schedule;

import dev.steward.config.AutomationConfig;
import dev.steward.store.Database;
import dev.steward.support.Errors;
import dev.steward.support.Ids;
import dev.steward.support.UsageException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each user's inbox, and delivery to the outbound channels: tried at once (or when quiet hours end), then retried
 * with a growing pause; after {@link #MAX_ATTEMPTS} it is marked failed, and the inbox shows why.
 */
public final class Notifications {
    static final int MAX_ATTEMPTS = 6;
    static final long FIRST_RETRY_MILLIS = 30_000;
    static final long LONGEST_PAUSE_MILLIS = 3_600_000;

    private final Database database;
    private final List<Channel> channels;
    private final QuietHours quiet;
    private final Clock clock;

    Notifications(Database database, List<Channel> channels, String quietHours, ZoneId zone, Clock clock) {
        this.database = database;
        this.channels = List.copyOf(channels);
        this.quiet = QuietHours.parse(quietHours, zone);
        this.clock = clock;
    }

    /** Puts a notification in the user's inbox and sends it to every channel (now, unless it is quiet). */
    public Notification notify(String userId, String kind, String title, String body) {
        long now = clock.millis();
        String id = Ids.next();
        long sendAt = quiet.endOf(now);
        database.jdbi().useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO notifications (id, user_id, kind, title, body, created_at)
                            VALUES (:id, :user, :kind, :title, :body, :now)""")
                    .bind("id", id).bind("user", userId).bind("kind", kind)
                    .bind("title", title.length() > 500 ? title.substring(0, 500) : title).bind("body", body)
                    .bind("now", now).execute();
            for (Channel c : channels) {
                h.createUpdate("""
                                INSERT INTO notification_deliveries (notification_id, channel, status, attempts,
                                    next_attempt_at) VALUES (:id, :channel, 'pending', 0, :at)""")
                        .bind("id", id).bind("channel", c.name()).bind("at", sendAt).execute();
            }
        });
        if (sendAt <= now) {
            deliverDue();
        }
        return find(userId, id).orElseThrow();
    }

    /** Tries every delivery that is due; returns how many went out. */
    public int deliverDue() {
        long now = clock.millis();
        record Due(String id, String channel, int attempts, long at) {}
        List<Due> due = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT notification_id, channel, attempts, next_attempt_at FROM notification_deliveries
                        WHERE status = 'pending' AND next_attempt_at <= :now ORDER BY next_attempt_at""")
                .bind("now", now)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4))).list());
        int sent = 0;
        for (Due d : due) {
            Optional<Channel> channel = channels.stream().filter(c -> c.name().equals(d.channel())).findFirst();
            // Claim it, so that another process delivering at the same moment skips it.
            boolean mine = database.jdbi().withHandle(h -> h.createUpdate("""
                            UPDATE notification_deliveries SET next_attempt_at = :later
                            WHERE notification_id = :id AND channel = :channel AND next_attempt_at = :at""")
                    .bind("later", now + FIRST_RETRY_MILLIS).bind("id", d.id()).bind("channel", d.channel())
                    .bind("at", d.at()).execute()) == 1;
            if (!mine) {
                continue;
            }
            String error;
            try {
                Notification n = byId(d.id()).orElseThrow();
                channel.orElseThrow(() -> new IllegalStateException("channel " + d.channel()
                        + " is no longer configured")).send(n);
                error = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            } catch (Exception e) {
                error = Errors.firstLine(e);
            }
            int attempts = d.attempts() + 1;
            String status = error == null ? "sent" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
            long next = now + Math.min(LONGEST_PAUSE_MILLIS, FIRST_RETRY_MILLIS << Math.min(20, attempts - 1));
            String lastError = error;
            database.jdbi().useHandle(h -> h.createUpdate("""
                            UPDATE notification_deliveries SET status = :status, attempts = :attempts,
                                next_attempt_at = :next, last_error = :error
                            WHERE notification_id = :id AND channel = :channel""")
                    .bind("status", status).bind("attempts", attempts).bind("next", next).bind("error", lastError)
                    .bind("id", d.id()).bind("channel", d.channel()).execute());
            sent += error == null ? 1 : 0;
        }
        return sent;
    }

    /** The user's notifications, newest first. */
    public List<Notification> list(String userId, int limit, boolean unreadOnly) {
        List<String> ids = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM notifications"
                        + " WHERE user_id = :user" + (unreadOnly ? " AND read_at IS NULL" : "")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("user", userId).bind("limit", limit).mapTo(String.class).list());
        List<Notification> found = new ArrayList<>();
        ids.forEach(id -> byId(id).ifPresent(found::add));
        return found;
    }

    public long unread(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM notifications WHERE user_id = :user AND read_at IS NULL")
                .bind("user", userId).mapTo(Long.class).one());
    }

    /** Marks one of the user's notifications read; false if they have none of that id. */
    public boolean markRead(String userId, String id) {
        long now = clock.millis();
        return database.jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE notifications SET read_at = :now WHERE id = :id AND user_id = :user AND read_at IS NULL")
                .bind("now", now).bind("id", id).bind("user", userId).execute()) == 1
                || find(userId, id).isPresent();
    }

    public Optional<Notification> find(String userId, String id) {
        return byId(id).filter(n -> n.userId().equals(userId));
    }

    private Optional<Notification> byId(String id) {
        return database.jdbi().withHandle(h -> {
            List<Notification.Delivery> deliveries = h.createQuery("""
                            SELECT * FROM notification_deliveries WHERE notification_id = :id ORDER BY channel""")
                    .bind("id", id)
                    .map((rs, ctx) -> new Notification.Delivery(rs.getString("channel"), rs.getString("status"),
                            rs.getInt("attempts"), rs.getLong("next_attempt_at"), rs.getString("last_error")))
                    .list();
            return h.createQuery("SELECT * FROM notifications WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> {
                        long read = rs.getLong("read_at");
                        Long readAt = rs.wasNull() ? null : read;
                        return new Notification(rs.getString("id"), rs.getString("user_id"), rs.getString("kind"),
                                rs.getString("title"), rs.getString("body"), rs.getLong("created_at"), readAt,
                                deliveries);
                    }).findOne();
        });
    }

    /** A daily window ("22:00-07:00", may wrap midnight) in which nothing goes out; none when not set. */
    record QuietHours(LocalTime from, LocalTime to, ZoneId zone) {
        static QuietHours parse(String text, ZoneId zone) {
            if (text == null || text.isBlank()) {
                return new QuietHours(null, null, zone);
            }
            String[] parts = text.strip().split("\\s*-\\s*");
            try {
                if (parts.length != 2) {
                    throw new java.time.DateTimeException("two times");
                }
                return new QuietHours(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]), zone);
            } catch (java.time.DateTimeException e) {
                throw new UsageException("automation.quiet_hours '" + text + "' is not a time range; write it as"
                        + " \"22:00-07:00\" (24-hour clock, it may cross midnight)");
            }
        }

        boolean quietAt(LocalTime t) {
            if (from == null || from.equals(to)) {
                return false;
            }
            return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
        }

        /** {@code millis} itself if it is not quiet then, else when the quiet hours end. */
        long endOf(long millis) {
            ZonedDateTime at = java.time.Instant.ofEpochMilli(millis).atZone(zone);
            if (!quietAt(at.toLocalTime())) {
                return millis;
            }
            ZonedDateTime end = at.with(to);
            if (!end.isAfter(at)) {
                end = end.plusDays(1);
            }
            return end.toInstant().toEpochMilli();
        }
    }
}
