package dev.steward.schedule;

import dev.steward.actions.ActionGate;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskListener;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.AutomationConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.StewardConfig;
import dev.steward.integrations.calendar.Agenda;
import dev.steward.integrations.email.Mailer;
import dev.steward.memory.Memory;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.Errors;
import dev.steward.support.UsageException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The autonomy part, wired once: schedules, crews, webhooks, notifications and the briefing. The parts it drives
 * (runner, gate, memory, router) are given as suppliers, so that 'schedules list' never builds an agent.
 * {@link #start()} is for {@code steward serve}: it writes steward.yaml's schedules and starts the scheduler.
 */
public final class Automation implements AutoCloseable {
    /** How long a schedule's run holds its claim; a process that died mid-run lets go after this. */
    static final Duration CLAIM = Duration.ofHours(1);

    private final StewardConfig config;
    private final Supplier<TaskRunner> runner;
    private final Clock clock;
    private final String owner;
    private final ScheduleStore store;
    private final ScheduleEngine engine;
    private final Notifications notifications;
    private final Schedules schedules;
    private final Crews crews;
    private final Hooks hooks;
    private final Briefing briefing;

    /**
     * @param owner the user schedules and crews from the CLI and steward.yaml run for, and who hears of them
     */
    public Automation(StewardConfig config, Database database, TaskStore tasks, Supplier<TaskRunner> runner,
                      Supplier<ActionGate> gate, Supplier<Memory> memory, Supplier<Router> router, String owner,
                      Clock clock) {
        this.config = config;
        this.runner = runner;
        this.clock = clock;
        this.owner = owner;
        AutomationConfig.Settings settings = config.automation().settings();
        this.store = new ScheduleStore(database);
        List<Channel> channels = new ArrayList<>();
        if (settings.webhook() != null && settings.webhook().url() != null) {
            channels.add(new Channel.Webhook(settings.webhook(), HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5)).build()));
        }
        if (settings.email() != null) {
            channels.add(emailChannel(settings.email(), config.connections().email()));
        }
        this.notifications = new Notifications(database, channels, settings.quietHours(), ZoneId.systemDefault(),
                clock);
        this.engine = new ScheduleEngine(database, clock, (name, trigger) -> schedules().fireDue(name, trigger),
                (name, after) -> schedules().nextDue(name, after), settings.missedRuns(),
                notifications::deliverDue, Duration.ofSeconds(30));
        this.schedules = new Schedules(store, engine, config.agents(), clock, this::fire);
        this.crews = new Crews(config.home(), new CrewChecks(config.home(), database, () -> gate.get().audit(), memory,
                tasks, router, clock), store, notifications, request -> runner.get().run(request, TaskListener.NONE),
                config.workspace().resolve("reports"), clock);
        this.hooks = new Hooks(database, new HookSecrets(config.home()), config.agents(), store,
                request -> runner.get().submit(request), settings.maxHookBytes(), clock);
        this.briefing = new Briefing(tasks, store, gate, router, config.workspace().resolve("reports"),
                config.connections().calendar() == null ? null : new Agenda(config.connections().calendar()),
                ZoneId.systemDefault(), clock);
    }

    private static Channel emailChannel(AutomationConfig.EmailChannel channel, ConnectionsConfig.Email connection) {
        if (connection == null || connection.smtp() == null) {
            throw new UsageException("automation.email sends through the mail connection, and connections.email.smtp"
                    + " is not set — add connections.email (smtp, user, password, from) to steward.yaml, see"
                    + " docs/integrations.md");
        }
        Mailer mailer = new Mailer(connection);
        String to = channel.to() == null || channel.to().isBlank() ? mailer.account() : channel.to();
        if (to == null) {
            throw new UsageException("automation.email has no address to send to — set automation.email.to, or"
                    + " connections.email.from");
        }
        return new Channel.Email(to, channel.subjectPrefix(), mailer);
    }

    public Schedules schedules() {
        return schedules;
    }

    public Crews crews() {
        return crews;
    }

    public Hooks hooks() {
        return hooks;
    }

    public Notifications notifications() {
        return notifications;
    }

    public Briefing briefing() {
        return briefing;
    }

    /** Who runs schedules and crews from the CLI and steward.yaml. */
    public String owner() {
        return owner;
    }

    /**
     * For {@code steward serve}: writes steward.yaml's schedules (and the bundled, paused ones: the morning
     * briefing and a schedule per crew that has one) and starts looking for due schedules.
     */
    public void start() {
        schedules.sync(config.automation().schedules(), owner);
        for (Crew crew : crews.list()) {
            String name = "crew-" + crew.name();
            if (crew.schedule() != null && schedules.find(name).isEmpty()) {
                schedules.addBundled(name, crew.schedule(), ScheduledWork.CREW + crew.name(), owner);
            }
        }
        engine.start(Duration.ofSeconds(Math.max(1, config.automation().settings().pollSeconds())));
    }

    /** Looks for due schedules now instead of at the next poll. */
    public void checkNow() {
        engine.checkNow();
    }

    /** Runs one schedule here and records it; null when it is already running somewhere. */
    private AutomationRun fire(Schedule schedule, String trigger) {
        long now = clock.millis();
        if (!store.claim(schedule.name(), now, now + CLAIM.toMillis())) {
            return null;
        }
        AutomationRun run = store.start(AutomationRun.SCHEDULE, schedule.name(), trigger, now);
        String taskId = null, status, summary;
        try {
            switch (ScheduledWork.of(schedule.task())) {
                case ScheduledWork.AgentTask(String text) -> {
                    Task task = runner.get().run(AskRequest.of(schedule.userId(), text).withAgent(schedule.agent())
                            .withSource(schedule.source()), TaskListener.NONE);
                    taskId = task.id();
                    status = task.status().id();
                    summary = task.status() == TaskStatus.DONE ? task.answer()
                            : task.error() != null ? task.error() : task.question();
                }
                case ScheduledWork.Crew(String name) -> {
                    CrewRun crew = crews.run(name, schedule.userId(), "schedule");
                    taskId = crew.run().taskId();
                    status = crew.run().status();
                    summary = crew.run().summary();
                }
                case ScheduledWork.Briefing() -> {
                    summary = briefing.text(schedule.userId(), Duration.ofHours(24));
                    status = TaskStatus.DONE.id();
                }
            }
        } catch (RuntimeException e) {
            status = TaskStatus.FAILED.id();
            summary = Errors.firstLine(Errors.root(e));
        } finally {
            store.release(schedule.name());
        }
        store.finish(run.id(), taskId, status, summary, clock.millis());
        boolean ok = status.equals(TaskStatus.DONE.id());
        if (schedule.notifyOwner() || !ok) {
            notifications.notify(schedule.userId(), ok ? "schedule" : "escalation",
                    "Schedule " + schedule.name() + ": " + status, summary);
        }
        return new AutomationRun(run.id(), run.kind(), run.name(), trigger, taskId, status, summary, now,
                clock.millis());
    }

    @Override
    public void close() {
        engine.stop();
    }
}
