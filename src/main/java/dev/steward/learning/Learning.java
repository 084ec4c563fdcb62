package dev.steward.learning;

import dev.steward.config.LearningConfig;
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

    private final List<Consumer<Feedback>> ratingListeners = new CopyOnWriteArrayList<>();

    /**
     * @param aliases     the routing aliases in effect now (read again at each analysis)
     * @param aliasWriter how an approved routing proposal rewrites an alias
     */
    public Learning(Database database, Router router, Path home, LearningConfig config,
                    Supplier<Map<String, String>> aliases, AliasWriter aliasWriter, Clock clock) {
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
        try {
            switch (p.change()) {
                case Change.PointAlias alias -> aliasWriter.point(alias.alias(), alias.to());
                case Change.AddPreference pref -> preferences.add(pref.userId(), TaskType.parse(pref.taskType()),
                        pref.lines());
            }
            commit = repository.commitAll("Proposal " + p.id() + ": " + p.title(), false);
        } catch (RuntimeException failed) {
            repository.discardUncommitted();
            throw failed instanceof LearningException l ? l : new LearningException("applying proposal " + p.id()
                    + " failed, nothing was changed: " + failed.getMessage(), null);
        }
        Proposal applied = p.with(Proposal.Status.APPLIED, p.evaluation(), p.base(), commit, null, clock.millis(), by);
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
        String revert = repository.revert(p.commitId(), "Roll back proposal " + p.id() + ": " + p.title());
        Proposal undone = p.with(Proposal.Status.ROLLED_BACK, p.evaluation(), p.base(), p.commitId(), revert,
                clock.millis(), by);
        proposals.update(undone);
        return undone;
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
