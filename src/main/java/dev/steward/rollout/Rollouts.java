package dev.steward.rollout;

import dev.steward.router.AliasArbiter;
import dev.steward.router.CallContext;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs rollouts: assigns each call to an alias in a rollout to an arm (the router asks, through {@link AliasArbiter}),
 * counts how each arm does, checks the gates on every candidate call once there are enough, moves through the plan's
 * steps, rolls back at once when a gate fails and promotes at the end. Its state is in the database, so a restart
 * carries on where it was, and a command in another process (the CLI) is seen here within {@link #REFRESH_MILLIS}.
 */
public final class Rollouts implements AliasArbiter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);
    /** How stale this process's copy of the rollouts may get before it re-reads them (another process may change them). */
    static final long REFRESH_MILLIS = 1_000;

    /**
     * What promotion does outside the rollout's own rows: wired by the application.
     */
    public interface Promotion {
        /** Before the rollout counts as promoted: a checkpoint of state, then the alias rewritten in steward.yaml. */
        void persist(Rollout rollout);

        /** This process routes the alias to its new model from now on. */
        void retarget(String alias, String model);
    }

    /** A rollout this process serves, with its arms' running counts. */
    private static final class Live {
        volatile Rollout rollout;
        final ArmStats.Tally baseline = new ArmStats.Tally();
        final ArmStats.Tally candidate = new ArmStats.Tally();
        final AtomicLong inPhase = new AtomicLong();
        /** What was said of each arm's answers, re-read from the rows when a judgement comes and at each refresh. */
        volatile Judgements baselineJudged = Judgements.NONE;
        volatile Judgements candidateJudged = Judgements.NONE;

        ArmStats baselineStats() {
            return baseline.snapshot(baselineJudged);
        }

        ArmStats candidateStats() {
            return candidate.snapshot(candidateJudged);
        }

        Live(Rollout rollout) {
            this.rollout = rollout;
        }
    }

    private final RolloutStore store;
    private final Clock clock;
    private final Promotion promotion;
    private final Map<String, Live> byAlias = new ConcurrentHashMap<>();
    private volatile long refreshedAt = Long.MIN_VALUE / 2; // long ago, without overflowing a subtraction
    private ScheduledExecutorService ticker;

    public Rollouts(Database database, Clock clock, Promotion promotion) {
        this.store = new RolloutStore(database);
        this.clock = clock;
        this.promotion = promotion;
    }

    // ---- the router's side -------------------------------------------------------------------------------------

    @Override
    public Assignment assign(String alias, String baseline, CallContext context) {
        refreshIfStale();
        Live live = byAlias.get(alias);
        if (live == null || live.rollout.state() != Rollout.State.RUNNING) {
            return new Untouched();
        }
        Rollout r = live.rollout;
        return switch (r.step()) {
            case RolloutPlan.Shadow s -> new Shadow(r.name(), r.candidate());
            case RolloutPlan.Share s -> Buckets.within(r.name(), context.userId(), s.percent())
                    ? new Candidate(r.name(), r.candidate()) : new Baseline(r.name());
            case RolloutPlan.Promote p -> new Candidate(r.name(), r.candidate());
        };
    }

    @Override
    public void observe(Observed call) {
        Live live = byAlias.values().stream().filter(l -> l.rollout.name().equals(call.rollout())).findFirst()
                .orElse(null);
        if (live == null) {
            return; // it ended while the call was in flight
        }
        Double agreement = call.shadow() && call.ok() && call.baselineAnswer() != null
                ? Agreement.of(call.baselineAnswer(), call.answer()) : null;
        boolean candidate = call.arm() == Arm.CANDIDATE;
        Rollout r = live.rollout;
        store.addCall(r.id(), new RolloutStore.Call(candidate ? "candidate" : "baseline", r.phase(), call.shadow(),
                call.ok(), call.latencyMs(), call.costMicros(), agreement), call.error(), call.taskId(), clock.millis());
        (candidate ? live.candidate : live.baseline).add(call.ok(), call.latencyMs(), call.costMicros(), agreement);
        if (candidate) {
            live.inPhase.incrementAndGet();
            judge(live);
        }
    }

    /** What a judgement is of: a Supervisor verdict on a step, or a user's thumbs on a task's answer. */
    public enum Judgement { SUPERVISOR, FEEDBACK }

    /**
     * The Supervisor judged a step of a task, or its user rated it: counted for the arm that answered the task (if a
     * running rollout's arm did, not as a shadow), and the gates look again. Never throws: a rating must not fail
     * because of a rollout.
     */
    public void judged(String taskId, Judgement kind, boolean good) {
        try {
            Optional<RolloutStore.Served> served = store.servedBy(taskId);
            if (served.isEmpty()) {
                return;
            }
            refreshIfStale();
            Live live = byAlias.values().stream().filter(l -> l.rollout.id().equals(served.get().rolloutId()))
                    .findFirst().orElse(null);
            if (live == null || live.rollout.state() != Rollout.State.RUNNING) {
                return;
            }
            store.judge(served.get(), taskId, kind.name().toLowerCase(Locale.ROOT), good, clock.millis());
            reloadJudgements(live);
            judge(live);
        } catch (RuntimeException e) {
            LOG.warn("recording a judgement of task {} for its rollout failed", taskId, e);
        }
    }

    private void reloadJudgements(Live live) {
        live.baselineJudged = store.judgements(live.rollout.id(), "baseline");
        live.candidateJudged = store.judgements(live.rollout.id(), "candidate");
    }

    /** Moves duration steps along and re-reads what other processes changed; the server calls it every few seconds. */
    public void tick() {
        refresh();
        byAlias.values().forEach(this::judge);
    }

    /** Ticks every {@code every} in the background, so duration steps move without traffic (the server starts it). */
    public synchronized void startTicking(Duration every) {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("rollout-ticker").factory());
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.warn("checking rollouts failed", e);
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    // ---- the gates and the steps -------------------------------------------------------------------------------

    /** Rolls back on a failed gate, else takes the next step when this one is done. */
    private synchronized void judge(Live live) {
        Rollout r = live.rollout;
        if (r.state() != Rollout.State.RUNNING) {
            return;
        }
        boolean stepDone = switch (r.step()) {
            case RolloutPlan.Shadow s -> live.inPhase.get() >= s.requests();
            case RolloutPlan.Share s -> s.duration() == null ? live.inPhase.get() >= s.requests()
                    : clock.millis() - r.phaseStartedAt() >= s.duration().toMillis();
            case RolloutPlan.Promote p -> true;
        };
        ArmStats candidate = live.candidateStats();
        if (r.gates().ready(candidate, stepDone)) {
            Optional<String> failure = r.gates().failure(candidate, live.baselineStats());
            if (failure.isPresent()) {
                rollBack(live, "gate failed: " + failure.get());
                return;
            }
        }
        if (stepDone) {
            int next = r.phase() + 1;
            if (r.plan().step(next) instanceof RolloutPlan.Promote) {
                promote(live, "the plan is complete");
            } else {
                move(live, r.with(Rollout.State.RUNNING, next, clock.millis(), null, clock.millis()),
                        new RolloutStore.Event("phase", "phase " + r.plan().step(next).text() + " after "
                                + live.inPhase.get() + " candidate calls in " + r.step().text(), clock.millis()));
                live.inPhase.set(0);
            }
        }
    }

    private void rollBack(Live live, String reason) {
        Rollout r = live.rollout;
        if (move(live, r.with(Rollout.State.ROLLED_BACK, r.phase(), r.phaseStartedAt(), reason, clock.millis()),
                new RolloutStore.Event("rolled_back", "rolled back: " + reason, clock.millis()))) {
            notifyOwner(live.rollout, "rollout " + r.name() + " of " + r.alias() + " to " + r.candidate()
                    + " was rolled back: " + reason + "; " + r.alias() + " stays on " + r.baseline());
        }
    }

    /** @return false when promotion failed: the rollout is then paused, with why, and the owner told */
    private boolean promote(Live live, String why) {
        Rollout r = live.rollout;
        try {
            promotion.persist(r);
        } catch (RuntimeException e) {
            String reason = "promotion failed: " + e.getMessage();
            if (move(live, r.with(Rollout.State.PAUSED, r.phase(), r.phaseStartedAt(), reason, clock.millis()),
                    new RolloutStore.Event("paused", reason, clock.millis()))) {
                notifyOwner(r, "rollout " + r.name() + " could not be promoted and is paused: " + e.getMessage());
            }
            return false;
        }
        int last = r.plan().steps().size() - 1;
        if (move(live, r.with(Rollout.State.PROMOTED, last, clock.millis(), why, clock.millis()),
                new RolloutStore.Event("promoted", "promoted (" + why + "): " + r.alias() + " now points at "
                        + r.candidate(), clock.millis()))) {
            promotion.retarget(r.alias(), r.candidate());
        }
        return true;
    }

    /** Saves a change if nobody changed the rollout meanwhile; an ended rollout stops being served here. */
    private boolean move(Live live, Rollout changed, RolloutStore.Event event) {
        boolean saved = store.update(live.rollout, changed, event);
        if (saved) {
            live.rollout = changed;
            if (!changed.state().active()) {
                byAlias.remove(changed.alias(), live);
            }
        } else {
            refresh();
        }
        return saved;
    }

    /**
     * Tells the rollout's owner something they must know (a rollback). Kept behind this one method: today a timeline
     * row and a log line; the notification inbox, once it exists, is wired in here.
     */
    private void notifyOwner(Rollout r, String message) {
        store.event(r.id(), "notify", "to " + (r.owner() == null ? "the owner" : r.owner()) + ": " + message,
                clock.millis());
        LOG.warn("{}", message);
    }

    // ---- reading the rows --------------------------------------------------------------------------------------

    private void refreshIfStale() {
        if (clock.millis() - refreshedAt >= REFRESH_MILLIS) {
            refresh();
        }
    }

    /** Re-reads the active rollouts: new ones are served, ended ones dropped (a promotion elsewhere retargets here). */
    synchronized void refresh() {
        refreshedAt = clock.millis();
        List<Rollout> active = store.active();
        for (Live live : List.copyOf(byAlias.values())) {
            Optional<Rollout> now = active.stream().filter(a -> a.id().equals(live.rollout.id())).findFirst();
            if (now.isEmpty()) {
                byAlias.remove(live.rollout.alias(), live);
                store.find(live.rollout.name()).filter(r -> r.state() == Rollout.State.PROMOTED)
                        .ifPresent(r -> promotion.retarget(r.alias(), r.candidate()));
            } else {
                if (now.get().phase() != live.rollout.phase()) {
                    live.inPhase.set(countInPhase(now.get()));
                }
                live.rollout = now.get();
                reloadJudgements(live); // a rating given in another process (the CLI) counts here too
            }
        }
        for (Rollout r : active) {
            byAlias.computeIfAbsent(r.alias(), a -> load(r));
        }
    }

    private Live load(Rollout r) {
        Live live = new Live(r);
        for (RolloutStore.Call call : store.calls(r.id())) {
            boolean candidate = call.arm().equals("candidate");
            (candidate ? live.candidate : live.baseline).add(call.ok(), call.latencyMs(), call.costMicros(),
                    call.agreement());
            if (candidate && call.phase() == r.phase()) {
                live.inPhase.incrementAndGet();
            }
        }
        reloadJudgements(live);
        return live;
    }

    private long countInPhase(Rollout r) {
        return store.calls(r.id()).stream().filter(c -> c.arm().equals("candidate") && c.phase() == r.phase()).count();
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /**
     * Starts a rollout of {@code alias} (now at {@code baseline}) to {@code candidate}. The caller has checked that the
     * alias and the model exist ({@link Precheck}).
     */
    public Rollout start(String name, String alias, String baseline, String candidate, RolloutPlan plan, Gates gates,
                         String owner) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new RolloutException(RolloutException.Kind.INVALID, "'" + name + "' is not a usable rollout name",
                    "use letters, digits, '.', '_' or '-', like local-llama-1");
        }
        if (candidate.equalsIgnoreCase(baseline)) {
            throw new RolloutException(RolloutException.Kind.INVALID, "alias " + alias + " already points at "
                    + candidate, "name another model as --candidate");
        }
        long now = clock.millis();
        Rollout r = new Rollout(Ids.next(), name, alias, baseline, candidate, plan, gates, Rollout.State.RUNNING, 0,
                now, null, owner, now, now);
        store.insert(r, now);
        refresh();
        return r;
    }

    public Rollout pause(String name) {
        return change(name, Rollout.State.PAUSED, "paused", Rollout.State.RUNNING);
    }

    public Rollout resume(String name) {
        return change(name, Rollout.State.RUNNING, "resumed", Rollout.State.PAUSED);
    }

    public Rollout abort(String name) {
        return change(name, Rollout.State.ABORTED, "aborted", Rollout.State.RUNNING, Rollout.State.PAUSED);
    }

    /** Rolls back by hand: the alias stays on the baseline and the candidate gets no more calls. */
    public Rollout rollback(String name) {
        return change(name, Rollout.State.ROLLED_BACK, "rolled_back", Rollout.State.RUNNING, Rollout.State.PAUSED);
    }

    /** Promotes now, whatever step it is on: checkpoint, alias rewritten, rollout ended. */
    public synchronized Rollout promote(String name) {
        Rollout r = activeNamed(name, Rollout.State.RUNNING, Rollout.State.PAUSED);
        Live live = byAlias.computeIfAbsent(r.alias(), a -> load(r));
        if (!promote(live, "promoted by hand")) {
            throw new RolloutException(RolloutException.Kind.CONFLICT, find(name).reason() + "; nothing was changed",
                    "fix the cause, then 'steward rollout promote " + name + "' again");
        }
        return find(name);
    }

    private synchronized Rollout change(String name, Rollout.State to, String kind, Rollout.State... from) {
        Rollout r = activeNamed(name, from);
        Rollout changed = r.with(to, r.phase(), to == Rollout.State.RUNNING ? clock.millis() : r.phaseStartedAt(),
                to == Rollout.State.RUNNING ? null : kind.replace('_', ' ') + " by hand", clock.millis());
        if (!store.update(r, changed, new RolloutStore.Event(kind, kind.replace('_', ' ') + " by hand", clock.millis()))) {
            throw new RolloutException(RolloutException.Kind.CONFLICT, "rollout " + name + " changed meanwhile",
                    "look at 'steward rollout status " + name + "' and try again");
        }
        refresh();
        return changed;
    }

    private Rollout activeNamed(String name, Rollout.State... allowed) {
        Rollout r = find(name);
        if (!List.of(allowed).contains(r.state())) {
            throw new RolloutException(RolloutException.Kind.CONFLICT, "rollout " + name + " is " + r.state().id(),
                    r.state().active() ? "it is already " + r.state().id()
                            : "it has ended; start a new rollout to try again");
        }
        return r;
    }

    /** @throws RolloutException NOT_FOUND naming the rollouts there are */
    public Rollout find(String name) {
        return store.find(name).orElseThrow(() -> new RolloutException(RolloutException.Kind.NOT_FOUND,
                "no rollout named " + name, "'steward rollout list' shows them"));
    }

    public List<Rollout> list() {
        return store.all();
    }

    /** A rollout with both arms' numbers and its timeline, read from the rows (so any process sees the same). */
    public RolloutStatus status(String name) {
        Rollout r = find(name);
        ArmStats.Tally baseline = new ArmStats.Tally();
        ArmStats.Tally candidate = new ArmStats.Tally();
        for (RolloutStore.Call call : store.calls(r.id())) {
            (call.arm().equals("candidate") ? candidate : baseline).add(call.ok(), call.latencyMs(), call.costMicros(),
                    call.agreement());
        }
        return new RolloutStatus(r, baseline.snapshot(store.judgements(r.id(), "baseline")),
                candidate.snapshot(store.judgements(r.id(), "candidate")), store.events(r.id()).stream()
                .map(e -> new RolloutStatus.Event(e.kind(), e.message(), e.at())).toList());
    }
}
