package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing aliases, and what the router does with each assignment an {@link AliasArbiter} makes. */
class AliasRoutingTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    ModelCallLog log;
    final ScriptedModel base = new ScriptedModel("base", "up").echoingWhenSpent();
    final ScriptedModel cand = new ScriptedModel("cand", "up").echoingWhenSpent();
    final List<AliasArbiter.Observed> observed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    Router router(AliasArbiter.Assignment assignment) {
        RoutingConfig routing = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null,
                Map.of("default", "up/base", "assistant", "up/base"));
        List<Route> routes = List.of(new Route("up", "base", Locality.LOCAL, "local", 0, 0, 0, base),
                new Route("up", "cand", Locality.LOCAL, "local", 0, 0, 0, cand));
        return new Router(routing, () -> routes, log, null, null, Clock.systemUTC(), new AliasArbiter() {
            @Override
            public Assignment assign(String alias, String baseline, CallContext context) {
                return assignment;
            }

            @Override
            public void observe(Observed call) {
                observed.add(call);
            }
        });
    }

    static ChatRequest ask(String model, String text) {
        return new ChatRequest(List.of(ChatMessage.user(text)), List.of(), model, null, null, false);
    }

    @Test
    void anAliasAndTheDefaultAliasRouteToTheirModel() {
        Router router = router(new AliasArbiter.Untouched());
        base.thenAnswer("one").thenAnswer("two");

        RoutedResponse named = router.chat(ask("Assistant", "hi"), CallContext.of("u"));
        RoutedResponse unnamed = router.chat(ask(null, "hi"), CallContext.of("u"));

        assertThat(named.model()).isEqualTo("base");
        assertThat(named.reason()).isEqualTo("alias assistant: requested up/base");
        assertThat(unnamed.reason()).startsWith("alias default:");
        assertThat(router.modelNames()).contains("assistant", "default");
        assertThat(observed).as("no rollout, nobody told").isEmpty();
    }

    @Test
    void aFailedCandidateCallIsAnsweredByTheBaselineWithNothingOfTheBrokenAnswerSent() {
        Router router = router(new AliasArbiter.Candidate("r", "up/cand"));
        cand.thenBreakOff("half an ans", "connection reset");
        base.thenAnswer("the baseline's answer");
        StringBuilder streamed = new StringBuilder();

        RoutedResponse answer = router.stream(ask("assistant", "hi"), CallContext.of("u"),
                chunk -> streamed.append(chunk.text()));

        assertThat(answer.model()).isEqualTo("base");
        assertThat(streamed.toString()).isEqualTo("the baseline's answer");
        assertThat(answer.fallbackPath()).startsWith("up/cand: ").endsWith("→ up/base");
        assertThat(observed).extracting(AliasArbiter.Observed::arm, AliasArbiter.Observed::ok)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AliasArbiter.Arm.CANDIDATE, false),
                        org.assertj.core.groups.Tuple.tuple(AliasArbiter.Arm.BASELINE, true));
    }

    @Test
    void aShadowCopyAnswersNobodyAndIsComparedWithTheBaseline() {
        Router router = router(new AliasArbiter.Shadow("r", "up/cand"));
        base.thenAnswer("from the baseline");
        cand.thenCall("shell.run", "{\"command\":\"rm -rf /\"}");

        RoutedResponse answer = router.chat(ask("assistant", "hi"), CallContext.of("u"));

        assertThat(answer.response().text()).isEqualTo("from the baseline");
        await().until(() -> observed.size() == 2);
        AliasArbiter.Observed shadow = observed.stream().filter(AliasArbiter.Observed::shadow).findFirst().orElseThrow();
        assertThat(shadow.answer().wantsTools()).as("its tool call is only looked at, never run").isTrue();
        assertThat(shadow.baselineAnswer().text()).isEqualTo("from the baseline");
    }

    @Test
    void aBaselineFailureInARolloutReachesTheCallerAndIsCounted() {
        Router router = router(new AliasArbiter.Baseline("r"));
        base.thenFail("down");
        assertThatThrownBy(() -> router.chat(ask("assistant", "hi"), CallContext.of("u")))
                .isInstanceOf(RoutingException.class);
        assertThat(observed).singleElement().satisfies(o -> assertThat(o.ok()).isFalse());
    }
}
