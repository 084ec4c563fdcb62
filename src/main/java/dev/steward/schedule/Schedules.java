package dev.steward.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.AgentsConfig;
import dev.steward.config.AutomationConfig;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The schedules: add, list, pause, resume, remove, run now, and their history. Each change also sets the schedule's
 * row in the scheduler's table, so that a running {@code steward serve} sees it at its next poll.
 */
public final class Schedules {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** The bundled schedule that delivers the briefing at 07:00, off until the user resumes it. */
    public static final String MORNING_BRIEFING = "morning-briefing";

    private final ScheduleStore store;
    private final ScheduleEngine engine;
    private final AgentsConfig agents;
    private final Clock clock;
    private final Firing firing;

    /** Runs one schedule now, in this thread; null if it is running elsewhere at this moment. */
    interface Firing {
        AutomationRun fire(Schedule schedule, String trigger);
    }

    Schedules(ScheduleStore store, ScheduleEngine engine, AgentsConfig agents, Clock clock, Firing firing) {
        this.store = store;
        this.engine = engine;
        this.agents = agents;
        this.clock = clock;
        this.firing = firing;
    }

    /**
     * Adds a schedule, or replaces the one of that name.
     *
     * @throws UsageException for a bad name, cron, zone, empty task or unknown agent profile
     */
    public Schedule add(String name, String cron, String task, String agent, String zone, boolean notifyOwner,
                        String userId) {
        return put(name, cron, task, agent, zone, notifyOwner, false, userId, Schedule.CLI);
    }

    private Schedule put(String name, String cron, String task, String agent, String zone, boolean notifyOwner,
                         boolean paused, String userId, String origin) {
        checkName(name);
        Cron parsed = Cron.parse(cron, zone);
        if (task == null || task.isBlank()) {
            throw new UsageException("schedule '" + name + "' has no task; say what to do with --task \"TEXT\"");
        }
        String profile = agent == null || agent.isBlank() ? null : agent.strip();
        if (profile != null && agents.profile(profile).isEmpty()) {
            throw new UsageException("no agent profile named '" + profile + "'; profiles: "
                    + String.join(", ", agents.profileNames()) + " (agents.profiles in steward.yaml)");
        }
        long created = store.find(name).map(Schedule::createdAt).orElse(clock.millis());
        Schedule schedule = new Schedule(name, parsed, task.strip(), profile, userId, notifyOwner, paused, origin, created);
        store.put(schedule);
        engine.plan(name, nextDue(schedule));
        return schedule;
    }

    /** A schedule Steward brings (a crew's), paused until the user resumes it. */
    void addBundled(String name, String cron, String task, String userId) {
        put(name, cron, task, null, null, false, true, userId, Schedule.BUNDLED);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UsageException("'" + name + "' is not a usable name: use lower-case letters, digits, '.', '_'"
                    + " and '-', starting with a letter or digit (at most 63)");
        }
    }

    public List<Schedule> all() {
        return store.all();
    }

    public Optional<Schedule> find(String name) {
        return store.find(name);
    }

    /** The schedule, or a usage error that says how to see the names. */
    public Schedule get(String name) {
        return store.find(name).orElseThrow(() -> new UsageException("no schedule named '" + name
                + "' (see 'steward schedules list')"));
    }

    public Schedule pause(String name) {
        Schedule paused = get(name).paused(true);
        store.put(paused);
        engine.plan(name, Optional.empty());
        return paused;
    }

    public Schedule resume(String name) {
        Schedule resumed = get(name).paused(false);
        store.put(resumed);
        engine.plan(name, nextDue(resumed));
        return resumed;
    }

    public void remove(String name) {
        get(name);
        store.remove(name);
        engine.plan(name, Optional.empty());
    }

    /** Runs the schedule now, here; its cron times stay as they are. */
    public AutomationRun runNow(String name) {
        AutomationRun run = firing.fire(get(name), "manual");
        if (run == null) {
            throw new UsageException("schedule '" + name + "' is running right now; see 'steward schedules history "
                    + name + "' when it is done");
        }
        return run;
    }

    public List<AutomationRun> history(String name, int limit) {
        get(name);
        return store.runs(AutomationRun.SCHEDULE, name, limit);
    }

    /** The next time after now, or empty for a paused schedule. */
    public Optional<ZonedDateTime> nextRun(Schedule schedule) {
        return schedule.paused() ? Optional.empty() : schedule.cron().next(clock.instant());
    }

    private Optional<Instant> nextDue(Schedule schedule) {
        return nextRun(schedule).map(ZonedDateTime::toInstant);
    }

    /** The next due time of a schedule by name after {@code after}; empty when it is paused or gone. */
    Optional<Instant> nextDue(String name, Instant after) {
        return store.find(name).filter(s -> !s.paused()).flatMap(s -> s.cron().next(after))
                .map(ZonedDateTime::toInstant);
    }

    /** Runs a schedule for the scheduler, if it still exists and is not paused. */
    void fireDue(String name, String trigger) {
        store.find(name).filter(s -> !s.paused()).ifPresent(s -> firing.fire(s, trigger));
    }

    /**
     * At serve's start: writes steward.yaml's schedules (removing those it no longer has), adds the bundled
     * morning briefing (paused) if absent, and gives every active schedule a row in the scheduler's table; a row
     * already there keeps its time, so a run missed while serve was down is seen as missed.
     */
    void sync(List<AutomationConfig.ScheduleEntry> configured, String owner) {
        Set<String> names = new HashSet<>();
        for (AutomationConfig.ScheduleEntry e : configured) {
            try {
                put(e.name(), e.cron(), e.task(), e.agent(), e.tz(), e.notifyOwner(), e.paused(), owner, Schedule.CONFIG);
            } catch (UsageException bad) {
                throw new UsageException("steward.yaml: schedules." + e.name() + ": " + bad.getMessage());
            }
            names.add(e.name());
        }
        for (Schedule s : store.all()) {
            if (s.origin().equals(Schedule.CONFIG) && !names.contains(s.name())) {
                remove(s.name());
            }
        }
        if (store.find(MORNING_BRIEFING).isEmpty()) {
            put(MORNING_BRIEFING, "0 7 * * *", ScheduledWork.BRIEFING, null, null, true, true, owner, Schedule.BUNDLED);
        }
        for (Schedule s : store.all()) {
            nextDue(s).ifPresent(at -> engine.ensure(s.name(), at));
        }
    }

    /** A row of 'schedules list --json' and of GET /api/schedules. */
    public ObjectNode json(Schedule s) {
        ObjectNode row = Json.object().put("name", s.name()).put("cron", s.cron().expression())
                .put("description", s.cron().description()).put("tz", s.cron().zone().getId())
                .put("task", s.task()).put("agent", s.agent()).put("notify", s.notifyOwner()).put("paused", s.paused())
                .put("origin", s.origin());
        row.put("next_run", nextRun(s).map(DateTimeFormatter.ISO_OFFSET_DATE_TIME::format).orElse(null));
        List<AutomationRun> last = store.runs(AutomationRun.SCHEDULE, s.name(), 1);
        row.put("last_run", last.isEmpty() ? null : iso(last.get(0).startedAt(), s));
        row.put("last_status", last.isEmpty() ? null : last.get(0).status());
        row.put("last_task_id", last.isEmpty() ? null : last.get(0).taskId());
        return row;
    }

    static String iso(long millis, Schedule s) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(s.cron().zone()));
    }
}
