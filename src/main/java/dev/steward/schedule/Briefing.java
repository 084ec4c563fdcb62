package dev.steward.schedule;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Approval;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.integrations.calendar.Agenda;
import dev.steward.router.Budgets;
import dev.steward.router.Router;
import dev.steward.support.Errors;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What happened and what needs a decision: tasks finished and failed (with where they came from), schedule and crew
 * runs, approvals waiting, spend against budgets and research reports, since a moment; and today's events when a
 * calendar is connected. A calendar that cannot be read is said so in the briefing, which goes out all the same.
 */
public final class Briefing {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT);
    private final TaskStore tasks;
    private final ScheduleStore runs;
    private final Supplier<ActionGate> gate;
    private final Supplier<Router> router;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private final Path reports;
    private final Agenda agenda;
    private final ZoneId zone;
    private final Clock clock;

    /**
     * @param agenda the connected calendar, or null
     * @param zone   where "today" is, and the times the text shows
     */
    Briefing(TaskStore tasks, ScheduleStore runs, Supplier<ActionGate> gate, Supplier<Router> router, Path reports,
             Agenda agenda, ZoneId zone, Clock clock) {
        this.tasks = tasks;
        this.runs = runs;
        this.gate = gate;
        this.router = router;
        this.reports = reports;
        this.agenda = agenda;
        this.zone = zone;
        this.clock = clock;
    }

    /** The briefing's facts for {@code userId} since {@code since} ago, as JSON. */
    public ObjectNode collect(String userId, Duration since) {
        long from = clock.millis() - since.toMillis();
        ObjectNode out = Json.object().put("since", Instant.ofEpochMilli(from).toString());
        List<Task> recent = tasks.list(userId, 1000, null).stream().filter(t -> t.createdAt() >= from).toList();
        ArrayNode finished = out.putArray("tasks");
        for (Task t : recent) {
            finished.addObject().put("id", t.id()).put("status", t.status().id())
                    .put("source", t.source() == null ? "unknown" : t.source()).put("input", t.input())
                    .put("error", t.error()).put("created_at", t.createdAt());
        }
        ArrayNode automation = out.putArray("runs");
        for (AutomationRun r : runs.runsSince(from)) {
            automation.addObject().put("kind", r.kind()).put("name", r.name()).put("trigger", r.trigger())
                    .put("status", r.status()).put("task_id", r.taskId()).put("summary", r.summary())
                    .put("started_at", r.startedAt());
        }
        ArrayNode waiting = out.putArray("approvals");
        long now = clock.millis();
        for (Approval a : gate.get().approvals(true, 200)) {
            if (a.userId().equals(userId) && a.statusAt(now).equals(Approval.PENDING)) {
                waiting.addObject().put("id", a.id()).put("tool", a.tool()).put("task_id", a.taskId())
                        .put("expires_at", a.expiresAt());
            }
        }
        ArrayNode spend = out.putArray("budgets");
        router.get().budgets().ifPresent(b -> {
            for (Budgets.Status s : b.status(userId)) {
                spend.addObject().put("scope", s.scope()).put("period", s.period())
                        .put("spent_micros", s.spentMicros()).put("limit_micros", s.limitMicros());
            }
        });
        out.put("spent_micros", recent.stream().mapToLong(Task::costMicros).sum());
        ArrayNode files = out.putArray("reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> list = Files.list(reports)) {
                list.filter(p -> modified(p) >= from).sorted().forEach(p -> files.add(p.toString()));
            } catch (IOException ignored) {
                // No reports to mention.
            }
        }
        if (agenda != null) {
            today(out.putArray("events"), out);
        }
        return out;
    }

    /** Today's events (in {@link #zone}), or why the calendar could not be read. */
    private void today(ArrayNode events, ObjectNode out) {
        LocalDate day = Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate();
        try {
            for (Agenda.Event e : agenda.between(day.atStartOfDay(zone).toInstant(),
                    day.plusDays(1).atStartOfDay(zone).toInstant())) {
                events.addObject().put("id", e.id()).put("title", e.title()).put("start", e.start())
                        .put("end", e.end()).put("location", e.location()).put("all_day", e.allDay());
            }
        } catch (RuntimeException e) {
            out.put("calendar_error", Errors.firstLine(e));
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The briefing as text, for the terminal and the notification channels. */
    public String text(String userId, Duration since) {
        ObjectNode b = collect(userId, since);
        StringBuilder out = new StringBuilder("Briefing since " + TIME.format(Instant.parse(b.path("since").asText())
                .atZone(zone)) + "\n");
        long done = count(b, "tasks", TaskStatus.DONE.id()), failed = count(b, "tasks", TaskStatus.FAILED.id());
        out.append("\nTasks: ").append(b.path("tasks").size()).append(" (").append(done).append(" done, ")
                .append(failed).append(" failed)\n");
        b.path("tasks").forEach(t -> {
            if (!t.path("status").asText().equals(TaskStatus.DONE.id())) {
                out.append("  ").append(t.path("status").asText()).append("  ").append(t.path("id").asText())
                        .append("  [").append(t.path("source").asText()).append("]  ")
                        .append(abbreviate(t.path("input").asText())).append(t.path("error").isTextual()
                                ? " — " + t.path("error").asText() : "").append('\n');
            }
        });
        out.append("\nScheduled and crew runs: ").append(b.path("runs").size()).append('\n');
        b.path("runs").forEach(r -> out.append("  ").append(TIME.format(Instant.ofEpochMilli(
                        r.path("started_at").asLong()).atZone(zone))).append("  ").append(r.path("kind").asText())
                .append(' ').append(r.path("name").asText()).append(" (").append(r.path("trigger").asText())
                .append("): ").append(r.path("status").asText()).append(r.path("task_id").isTextual()
                        ? "  task " + r.path("task_id").asText() : "").append('\n'));
        out.append("\nApprovals waiting: ").append(b.path("approvals").size()).append('\n');
        b.path("approvals").forEach(a -> out.append("  ").append(a.path("id").asText()).append("  ")
                .append(a.path("tool").asText()).append("  (steward approvals approve ").append(a.path("id").asText())
                .append(")\n"));
        out.append("\nSpend: ").append(usd(b.path("spent_micros").asLong())).append(" on these tasks\n");
        b.path("budgets").forEach(s -> out.append("  ").append(s.path("scope").asText()).append(' ')
                .append(s.path("period").asText()).append(": ").append(usd(s.path("spent_micros").asLong()))
                .append(" of ").append(usd(s.path("limit_micros").asLong())).append('\n'));
        if (b.has("events")) {
            out.append("\nToday's events: ").append(b.has("calendar_error")
                    ? "the calendar could not be read — " + b.path("calendar_error").asText() : b.path("events").size())
                    .append('\n');
            b.path("events").forEach(e -> out.append("  ").append(e.path("all_day").asBoolean() ? "all day    "
                            : hour(e.path("start")) + "–" + hour(e.path("end"))).append("  ")
                    .append(abbreviate(e.path("title").asText())).append(e.path("location").isTextual()
                            ? "  (" + abbreviate(e.path("location").asText()) + ")" : "").append('\n'));
        }
        if (!b.path("reports").isEmpty()) {
            out.append("\nReports:\n");
            b.path("reports").forEach(r -> out.append("  ").append(r.asText()).append('\n'));
        }
        return out.toString();
    }

    private String hour(com.fasterxml.jackson.databind.JsonNode instant) {
        return instant.isTextual() ? HOUR.format(Instant.parse(instant.asText()).atZone(zone)) : "?";
    }

    private static long count(ObjectNode b, String list, String status) {
        long n = 0;
        for (var item : b.path(list)) {
            n += item.path("status").asText().equals(status) ? 1 : 0;
        }
        return n;
    }

    private static String usd(long micros) {
        return String.format(Locale.ROOT, "$%.2f", micros / 1_000_000.0);
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 70 ? line.substring(0, 70) + "…" : line;
    }
}
