package dev.steward.learning;

import dev.steward.config.LearningConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.memory.MemoryUpkeep;
import dev.steward.router.Router;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The learning loop's face: ratings in, analyses out, proposals decided by a person and applied as versioned
 * changes. Thread-safe: serve's periodic analysis and a person's approval may meet.
 */
public final class Learning implements AutoCloseable {
    /** Writes a routing alias into the configuration file; the application owns how steward.yaml is edited. */
    @FunctionalInterface
    public interface AliasWriter {
        void point(String alias, String model);
    }

    /** Writes one plain routing setting ({@code routing.KEY}) into the configuration file. */
    @FunctionalInterface
    public interface RoutingWriter {
        void set(String key, String value);
    }

    /**
     * What else an approved proposal may change; a part left null is not proposed for.
     *
     * @param routing       the routing settings in effect now (read again at each analysis)
     * @param routingWriter how an approved configuration proposal rewrites a routing setting
     * @param memoryUpkeep  memory upkeep, made when first needed (it opens the search index)
     */
    public record Levers(Supplier<RoutingConfig> routing, RoutingWriter routingWriter,
                         Supplier<MemoryUpkeep> memoryUpkeep) {
        public static final Levers NONE = new Levers(null, null, null);
    }

    private final LearningConfig config;
    private final Supplier<Map<String, String>> aliases;
    private final AliasWriter aliasWriter;
    private final Clock clock;
    private final FeedbackStore feedback;
    private final ProposalStore proposals;
    private final Analysis analysis;
    private final Replay replay;
    private final Router router;
    private final Preferences preferences;
    private final ConfigRepository repository;
    private final Levers levers;
    private final Database database;

    private final List<Consumer<Feedback>> ratingListeners = new CopyOnWriteArrayList<>();

    /**
     * @param aliases     the routing aliases in effect now (read again at each analysis)
     * @param aliasWriter how an approved routing proposal rewrites an alias
     */
    public Learning(Database database, Router router, Path home, LearningConfig config,
                    Supplier<Map<String, String>> aliases, AliasWriter aliasWriter, Clock clock) {
        this(database, router, home, config, aliases, aliasWriter, Levers.NONE, clock);
    }

    /** With the levers for configuration and memory upkeep proposals. */
    public Learning(Database database, Router router, Path home, LearningConfig config,
                    Supplier<Map<String, String>> aliases, AliasWriter aliasWriter, Levers levers, Clock clock) {
        this.levers = levers;
        this.database = database;
        this.router = router;
        this.config = config;
        this.aliases = aliases;
        this.aliasWriter = aliasWriter;
        this.clock = clock;
        this.feedback = new FeedbackStore(database);
        this.proposals = new ProposalStore(database);
        this.analysis = new Analysis(database, feedback);
        this.replay = new Replay(database, router);
        this.preferences = new Preferences(home);
        this.repository = ConfigRepository.open(home);
    }

    /** Records what a user thought of a task, and tells who listens; the caller has checked the task is theirs. */
    public Feedback rate(String taskId, String userId, Rating rating, String comment) {
        Feedback given = new Feedback(taskId, userId, rating, comment, clock.millis());
        feedback.save(given);
        for (Consumer<Feedback> listener : ratingListeners) {
            listener.accept(given);
        }
        return given;
    }

    /** Hears every rating after it is saved (a rollout's feedback gate); a listener must not throw. */
    public void onRating(Consumer<Feedback> listener) {
        ratingListeners.add(listener);
    }

    /** Reads the history of the last {@code window_days}, stores new proposals (evaluated) and returns what it found. */
    public synchronized Findings analyze() {
        long now = clock.millis();
        long since = now - Duration.ofDays(config.windowDays()).toMillis();
        List<Analysis.Call> calls = analysis.calls(since);
        List<Findings.FailureGroup> modelFailures = analysis.modelFailures(calls);
        List<Findings.ModelCost> models = analysis.models(calls);
        List<Findings.FeedbackPattern> patterns = analysis.feedback(since);
        String base = repository.commitHandEdits();
        Proposer proposer = new Proposer(config.minFailures());
        List<Proposal> fresh = new ArrayList<>();
        fresh.addAll(proposer.routing(modelFailures, models, aliases.get(), router.routes(), base, now));
        fresh.addAll(proposer.preferences(patterns, base, now));
        UpkeepProposer upkeep = new UpkeepProposer(config.minFailures());
        if (levers.routing() != null && levers.routingWriter() != null) {
            fresh.addAll(upkeep.timeouts(calls, router.routes(), levers.routing().get(), base, now));
        }
        if (levers.memoryUpkeep() != null) {
            fresh.addAll(upkeep.memoryUpkeep(memoryDryRuns(), STALE_DAYS, base, now));
        }
        List<Proposal> proposed = new ArrayList<>();
        for (Proposal p : fresh) {
            if (proposals.open(p.key())) {
                continue;
            }
            Proposal evaluated = p.with(p.status(), evaluate(p, since), base, null, null, null, null);
            proposals.insert(evaluated);
            proposed.add(config.autoApply().contains(p.kind().id()) ? approve(evaluated.id(), "auto") : evaluated);
        }
        List<Findings.FailureGroup> failures = new ArrayList<>(modelFailures);
        failures.addAll(analysis.toolAndTaskFailures(since));
        return new Findings(since, failures, analysis.gaps(since), models, patterns, proposed);
    }

    /** Facts not confirmed or used for this long are stale in an upkeep proposal (upkeep's own default). */
    static final int STALE_DAYS = (int) MemoryUpkeep.DEFAULT_STALE_AFTER.toDays();

    /** A memory upkeep dry run for every user with current facts or episodes; it changes nothing. */
    private List<MemoryUpkeep.Report> memoryDryRuns() {
        List<String> users = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id FROM facts WHERE valid_to IS NULL UNION SELECT user_id FROM episodes ORDER BY 1")
                .mapTo(String.class).list());
        if (users.isEmpty()) {
            return List.of();
        }
        MemoryUpkeep upkeep = levers.memoryUpkeep().get();
        return users.stream().map(u -> upkeep.check(u, Duration.ofDays(STALE_DAYS))).toList();
    }

    private Evaluation evaluate(Proposal p, long since) {
        return switch (p.change()) {
            case Change.PointAlias alias -> {
                List<Replay.Recorded> targets = replay.failedOn(alias.from(), since);
                List<Replay.Recorded> guard = replay.guard(targets, since);
                String note = targets.isEmpty() ? "the failed calls belong to no task (gateway calls), so none could "
                        + "be replayed" : null;
                yield Evaluation.of(targets.stream().map(Replay.Recorded::outcome).toList(),
                        targets.stream().map(r -> replay.replay(r, alias.to(), null)).toList(),
                        guard.stream().map(Replay.Recorded::outcome).toList(),
                        guard.stream().map(r -> replay.replay(r, alias.to(), null)).toList(), note, clock.millis());
            }
            case Change.AddPreference pref -> {
                if (replay.offline()) {
                    yield Evaluation.of(List.of(), List.of(), List.of(), List.of(),
                            "no language model is configured to replay the rated requests on", clock.millis());
                }
                List<Replay.Recorded> rated = replay.tasks(taskIds(p));
                String system = "The user's preferences for " + pref.taskType() + " requests (follow them):\n- "
                        + String.join("\n- ", pref.lines());
                yield Evaluation.of(rated.stream().map(Replay.Recorded::outcome).toList(),
                        rated.stream().map(r -> replay.replay(r, null, system)).toList(), List.of(), List.of(),
                        "rated answers replayed with the preference in their context", clock.millis());
            }
            case Change.SetRouting set -> Evaluation.of(List.of(), List.of(), List.of(), List.of(), "not replayed: "
                    + "a timeout only shows on the slow calls themselves; the evidence counts the calls that ran out "
                    + "of " + set.from() + " s, and the change takes effect when Steward next loads steward.yaml",
                    clock.millis());
            case Change.RunMemoryUpkeep run -> Evaluation.of(List.of(), List.of(), List.of(), List.of(), "not "
                    + "replayed: a dry run of memory upkeep found what the evidence lists; applying it closes facts into "
                    + "their history (nothing is deleted) and a rollback puts the run back", clock.millis());
        };
    }

    private static List<String> taskIds(Proposal p) {
        List<String> ids = new ArrayList<>();
        p.evidence().path("task_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    public List<Proposal> list(Proposal.Status status, int limit) {
        return proposals.list(status, limit);
    }

    public Proposal show(String id) {
        return proposals.find(id).orElseThrow(() -> LearningException.unknownProposal(id));
    }

    /**
     * Applies a pending proposal as one commit. Hand edits are committed first; if the configuration changed since
     * the proposal was evaluated, it is evaluated again before it is applied. A failed apply leaves every file as it
     * was.
     */
    public synchronized Proposal approve(String id, String by) {
        Proposal p = show(id);
        requireStatus(p, Proposal.Status.PENDING, "approve");
        String head = repository.commitHandEdits();
        if (!head.equals(p.base())) {
            p = p.with(p.status(), evaluate(p, clock.millis() - Duration.ofDays(config.windowDays()).toMillis()), head,
                    null, null, null, null);
        }
        String commit;
        Change change = p.change();
        String ranUpkeep = null;
        try {
            switch (p.change()) {
                case Change.PointAlias alias -> aliasWriter.point(alias.alias(), alias.to());
                case Change.AddPreference pref -> preferences.add(pref.userId(), TaskType.parse(pref.taskType()),
                        pref.lines());
                case Change.SetRouting set -> requireLever(levers.routingWriter(), p).set(set.key(), set.to());
                case Change.RunMemoryUpkeep run -> {
                    ranUpkeep = requireLever(levers.memoryUpkeep(), p).get()
                            .apply(run.userId(), Duration.ofDays(run.staleDays())).runId();
                    change = run.ran(ranUpkeep);
                }
            }
            // Memory upkeep changes rows, not files: its commit is empty, so that the history still names it.
            commit = repository.commitAll("Proposal " + p.id() + ": " + p.title()
                    + (ranUpkeep == null ? "" : "\n\nMemory upkeep run " + ranUpkeep), ranUpkeep != null);
        } catch (RuntimeException failed) {
            repository.discardUncommitted();
            if (ranUpkeep != null && change instanceof Change.RunMemoryUpkeep run) {
                levers.memoryUpkeep().get().undo(run.userId(), ranUpkeep);
            }
            throw failed instanceof LearningException l ? l : new LearningException("applying proposal " + p.id()
                    + " failed, nothing was changed: " + failed.getMessage(), null);
        }
        Proposal applied = p.with(Proposal.Status.APPLIED, p.evaluation(), p.base(), commit, null, clock.millis(), by)
                .withChange(change);
        proposals.update(applied);
        return applied;
    }

    public synchronized Proposal reject(String id, String by) {
        Proposal p = show(id);
        requireStatus(p, Proposal.Status.PENDING, "reject");
        Proposal rejected = p.with(Proposal.Status.REJECTED, p.evaluation(), p.base(), null, null, clock.millis(), by);
        proposals.update(rejected);
        return rejected;
    }

    /** Undoes an applied proposal with a revert commit; refused, with the reason, when later changes depend on it. */
    public synchronized Proposal rollback(String id, String by) {
        Proposal p = show(id);
        requireStatus(p, Proposal.Status.APPLIED, "roll back");
        repository.commitHandEdits();
        String message = "Roll back proposal " + p.id() + ": " + p.title();
        String revert;
        if (p.change() instanceof Change.RunMemoryUpkeep run) { // rows, not files: upkeep's own undo puts them back
            MemoryUpkeep.Undone undone = requireLever(levers.memoryUpkeep(), p).get().undo(run.userId(), run.runId());
            revert = repository.commitAll(message + "\n\nMemory upkeep run " + run.runId() + " undone: "
                    + undone.restored() + " put back, " + undone.skipped() + " changed again since and left as they are",
                    true);
        } else {
            revert = repository.revert(p.commitId(), message);
        }
        Proposal undone = p.with(Proposal.Status.ROLLED_BACK, p.evaluation(), p.base(), p.commitId(), revert,
                clock.millis(), by);
        proposals.update(undone);
        return undone;
    }

    private static <T> T requireLever(T lever, Proposal p) {
        if (lever == null) {
            throw new LearningException("this Steward cannot apply " + p.kind().id() + " proposals (" + p.id() + ")",
                    "approve it where 'steward improve approve' runs with the whole configuration");
        }
        return lever;
    }

    private static void requireStatus(Proposal p, Proposal.Status wanted, String verb) {
        if (p.status() != wanted) {
            throw new LearningException("cannot " + verb + " proposal " + p.id() + ": it is " + p.status().id(),
                    wanted == Proposal.Status.APPLIED ? "only an applied proposal can be rolled back"
                            : "only a pending proposal can be decided; 'steward improve list' shows them");
        }
    }

    /** The configuration's history, newest first: every applied and rolled-back proposal, and hand edits. */
    public List<ConfigRepository.Version> history(int limit) {
        repository.commitHandEdits();
        return repository.log(limit);
    }

    /** What users asked for that Steward could not do, in the analysis window. */
    public List<Gap> gaps() {
        return analysis.gaps(clock.millis() - Duration.ofDays(config.windowDays()).toMillis());
    }

    public Preferences preferences() {
        return preferences;
    }

    public LearningConfig config() {
        return config;
    }

    @Override
    public void close() {
        repository.close();
    }
}
