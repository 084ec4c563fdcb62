package dev.steward.router;

import dev.steward.router.AliasArbiter.Arm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing aliases ({@code routing.aliases}): a name such as {@code assistant} that callers use instead of a model,
 * and {@code default} for calls that name none. The {@link AliasArbiter} may send a call to a candidate model, or
 * copy it to one in the background; a candidate that fails is answered for by the alias's own model, so callers never
 * see a candidate's failure.
 */
final class AliasRouting {
    /** The alias that serves calls naming no model, when it is configured. */
    static final String DEFAULT = "default";
    private static final Logger LOG = LoggerFactory.getLogger(AliasRouting.class);

    /** How the router makes one call to a named model. */
    interface Direct {
        RoutedResponse stream(ChatRequest request, CallContext context, Consumer<ChatChunk> onChunk);
    }

    private final Map<String, String> targets;
    private final AliasArbiter arbiter;
    private final ExecutorService shadows = Executors.newVirtualThreadPerTaskExecutor();

    AliasRouting(Map<String, String> aliases, AliasArbiter arbiter) {
        this.targets = new ConcurrentHashMap<>(aliases);
        this.arbiter = arbiter;
    }

    /** The alias a requested model name is, if it is one; a call naming nothing is the {@code default} alias's. */
    Optional<String> aliasOf(String requested) {
        String name = requested == null || requested.isBlank() ? DEFAULT : requested.strip().toLowerCase(Locale.ROOT);
        return targets.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    Map<String, String> targets() {
        return Map.copyOf(targets);
    }

    /** Points an alias at another model from now on (a promoted rollout); the caller saves it to steward.yaml. */
    void point(String alias, String model) {
        targets.put(alias.toLowerCase(Locale.ROOT), model);
    }

    RoutedResponse route(String alias, ChatRequest request, CallContext context, Consumer<ChatChunk> onChunk,
                         Direct direct) {
        String baseline = targets.get(alias);
        AliasArbiter.Assignment assignment = arbiter.assign(alias, baseline, context);
        return switch (assignment) {
            case AliasArbiter.Untouched u -> named(alias, direct.stream(to(request, baseline), context, onChunk));
            case AliasArbiter.Baseline b -> named(alias, observed(b.rollout(), Arm.BASELINE, baseline, request,
                    context, onChunk, direct));
            case AliasArbiter.Shadow s -> {
                RoutedResponse answer = observed(s.rollout(), Arm.BASELINE, baseline, request, context, onChunk, direct);
                shadows.execute(() -> shadow(s, request, context, answer.response(), direct));
                yield named(alias, answer);
            }
            case AliasArbiter.Candidate c -> named(alias, candidate(c, baseline, request, context, onChunk, direct));
        };
    }

    /**
     * The candidate answers into a buffer, passed on only once it is complete: a candidate that breaks off part-way
     * is then answered for by the baseline, with nothing of the broken answer sent.
     */
    private RoutedResponse candidate(AliasArbiter.Candidate assigned, String baseline, ChatRequest request,
                                     CallContext context, Consumer<ChatChunk> onChunk, Direct direct) {
        List<ChatChunk> held = new ArrayList<>();
        long started = System.nanoTime();
        try {
            RoutedResponse answer = direct.stream(to(request, assigned.model()), context, held::add);
            tell(new AliasArbiter.Observed(assigned.rollout(), Arm.CANDIDATE, assigned.model(), context.userId(),
                    false, answer.latencyMs(), answer.costMicros(), null, answer.response(), null, context.taskId()));
            held.forEach(onChunk);
            return answer;
        } catch (RuntimeException e) {
            tell(new AliasArbiter.Observed(assigned.rollout(), Arm.CANDIDATE, assigned.model(), context.userId(), false,
                    millisSince(started), 0, describe(e), null, null, context.taskId()));
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            RoutedResponse answer = observed(assigned.rollout(), Arm.BASELINE, baseline, request, context, onChunk,
                    direct);
            String path = assigned.model() + ": " + describe(e) + " → " + answer.provider() + "/" + answer.model();
            return new RoutedResponse(answer.response(), answer.provider(), answer.model(), answer.reason(),
                    answer.costMicros(), answer.latencyMs(), answer.locality(), answer.cacheHit(), path,
                    answer.notices(), answer.ttftMillis());
        }
    }

    private void shadow(AliasArbiter.Shadow assigned, ChatRequest request, CallContext context,
                        ChatResponse baselineAnswer, Direct direct) {
        long started = System.nanoTime();
        try {
            RoutedResponse copy = direct.stream(to(request, assigned.model()), context, chunk -> {});
            tell(new AliasArbiter.Observed(assigned.rollout(), Arm.CANDIDATE, assigned.model(), context.userId(),
                    true, copy.latencyMs(), copy.costMicros(), null, copy.response(), baselineAnswer,
                    context.taskId()));
        } catch (RuntimeException e) {
            tell(new AliasArbiter.Observed(assigned.rollout(), Arm.CANDIDATE, assigned.model(), context.userId(),
                    true, millisSince(started), 0, describe(e), null, baselineAnswer, context.taskId()));
        }
    }

    /** A baseline call in a rollout, counted for the baseline arm whether it answers or fails. */
    private RoutedResponse observed(String rollout, Arm arm, String model, ChatRequest request, CallContext context,
                                    Consumer<ChatChunk> onChunk, Direct direct) {
        long started = System.nanoTime();
        try {
            RoutedResponse answer = direct.stream(to(request, model), context, onChunk);
            tell(new AliasArbiter.Observed(rollout, arm, model, context.userId(), false, answer.latencyMs(),
                    answer.costMicros(), null, answer.response(), null, context.taskId()));
            return answer;
        } catch (RuntimeException e) {
            tell(new AliasArbiter.Observed(rollout, arm, model, context.userId(), false, millisSince(started), 0,
                    describe(e), null, null, context.taskId()));
            throw e;
        }
    }

    private void tell(AliasArbiter.Observed call) {
        try {
            arbiter.observe(call);
        } catch (RuntimeException e) {
            LOG.warn("the alias arbiter failed to record a call to {}", call.model(), e);
        }
    }

    private static RoutedResponse named(String alias, RoutedResponse answer) {
        return new RoutedResponse(answer.response(), answer.provider(), answer.model(),
                "alias " + alias + ": " + answer.reason(), answer.costMicros(), answer.latencyMs(), answer.locality(),
                answer.cacheHit(), answer.fallbackPath(), answer.notices(), answer.ttftMillis());
    }

    private static ChatRequest to(ChatRequest request, String model) {
        return new ChatRequest(request.messages(), request.tools(), model, request.temperature(), request.maxTokens(),
                request.jsonMode());
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Lets shadow copies in flight finish, briefly. */
    void close() {
        shadows.shutdown();
        try {
            shadows.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
