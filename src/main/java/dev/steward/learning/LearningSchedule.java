package dev.steward.learning;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code steward serve} does on its own every {@code learning.analyze_every_hours}: analyse the history (new
 * proposals wait for a person, as ever) and run the self-diagnosis; the owner is told of new proposals and of every
 * problem found. A plain scheduled executor that serve owns and closes: the work is idempotent (an analysis never
 * proposes what is already pending or applied), needs no row of its own and must not outlive the server.
 */
public final class LearningSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LearningSchedule.class);

    /** How the owner is told something: a notification in their inbox (the application wires it). */
    @FunctionalInterface
    public interface Owner {
        void tell(String kind, String title, String body);
    }

    /** What one run did: the proposals it made and the problems the self-diagnosis found. */
    public record Run(List<Proposal> proposed, List<SelfDiagnosis.Check> problems) {}

    private final Learning learning;
    private final Supplier<List<SelfDiagnosis.Check>> diagnosis;
    private final Owner owner;
    private ScheduledExecutorService executor;

    /** @param diagnosis runs the self-diagnosis ({@code doctor --deep}'s checks) */
    public LearningSchedule(Learning learning, Supplier<List<SelfDiagnosis.Check>> diagnosis, Owner owner) {
        this.learning = learning;
        this.diagnosis = diagnosis;
        this.owner = owner;
    }

    /** Analyses and checks now, and tells the owner what needs them. */
    public Run runOnce() {
        List<Proposal> proposed = learning.analyze().proposed();
        if (!proposed.isEmpty()) {
            StringBuilder body = new StringBuilder();
            proposed.forEach(p -> body.append(p.id()).append("  ").append(p.kind().id()).append("  ")
                    .append(p.title()).append('\n'));
            owner.tell("improvement", proposed.size() + (proposed.size() == 1 ? " new improvement proposal"
                    : " new improvement proposals"), body.append("'steward improve list' (or the Improvements page)"
                    + " shows them; nothing changes until you approve.").toString());
        }
        List<SelfDiagnosis.Check> problems = diagnosis.get().stream()
                .filter(c -> c.level() != SelfDiagnosis.Level.OK).toList();
        if (!problems.isEmpty()) {
            StringBuilder body = new StringBuilder();
            problems.forEach(c -> body.append(c.level().name()).append("  ").append(c.name()).append(": ")
                    .append(c.detail()).append(c.fix() == null || c.fix().isBlank() ? "" : " — fix: " + c.fix())
                    .append('\n'));
            owner.tell("health", "Health check: " + problems.size() + (problems.size() == 1 ? " problem" : " problems"),
                    body.toString().strip());
        }
        return new Run(proposed, problems);
    }

    /**
     * Runs every {@code learning.analyze_every_hours}, the first time one period after start (a restart does not
     * analyse at once); 0 hours: never.
     */
    public synchronized void start() {
        int hours = learning.config().analyzeEveryHours();
        if (hours > 0) {
            start(Duration.ofHours(hours));
        }
    }

    synchronized void start(Duration every) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("learning-schedule")
                .factory());
        executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("the periodic analysis and health check failed", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
