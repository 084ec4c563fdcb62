package dev.steward.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.router.AliasArbiter;
import dev.steward.router.AliasArbiter.Arm;
import dev.steward.router.CallContext;
import dev.steward.router.ChatResponse;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Phases, gates and controls of a rollout, on a real database, with a clock the test moves. */
class RolloutsTest {
    @TempDir
    Path home;

    Database database;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    final List<String> promotions = new ArrayList<>();
    boolean promotionFails;
    Rollouts rollouts;


    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        rollouts = engine();
    }

    Rollouts engine() {
        return new Rollouts(database, clock, new Rollouts.Promotion() {
            @Override
            public void persist(Rollout r) {
                if (promotionFails) {
                    throw new IllegalStateException("steward.yaml is read-only");
                }
                promotions.add("persist " + r.alias() + " " + r.candidate());
            }

            @Override
            public void retarget(String alias, String model) {
                promotions.add("retarget " + alias + " " + model);
            }
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    Rollout start(String plan, Gates gates) {
        return rollouts.start("r1", "assistant", "up/base", "up/cand", RolloutPlan.parse(plan), gates, "alice");
    }

    static Gates gates(double maxErrorRate, Long p95, Double cost, int min) {
        return new Gates(maxErrorRate, p95, cost, min);
    }

    void candidate(boolean ok, long latencyMs, long costMicros) {
        rollouts.observe(new AliasArbiter.Observed("r1", Arm.CANDIDATE, "up/cand", "u", false, latencyMs, costMicros,
                ok ? null : "boom", ok ? answer("yes") : null, null));
    }

    void baseline(long costMicros) {
        rollouts.observe(new AliasArbiter.Observed("r1", Arm.BASELINE, "up/base", "u", false, 10, costMicros, null,
                answer("yes"), null));
    }

    void shadow(String text, String baselineText) {
        rollouts.observe(new AliasArbiter.Observed("r1", Arm.CANDIDATE, "up/cand", "u", true, 10, 1, null,
                answer(text), answer(baselineText)));
    }

    static ChatResponse answer(String text) {
        return new ChatResponse(text, List.of(), Usage.NONE, "m", ChatResponse.FinishReason.STOP);
    }

    Rollout now() {
        return rollouts.find("r1");
    }

    @Test
    void shadowCopiesEveryCallThenMovesToTheShareAfterItsRequestsAndRecordsAgreement() {
        start("shadow:3,10%:5,100%", Gates.defaults());
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u1")))
                .isEqualTo(new AliasArbiter.Shadow("r1", "up/cand"));
        assertThat(rollouts.assign("writer", "up/base", CallContext.of("u1"))).isInstanceOf(AliasArbiter.Untouched.class);
        shadow("the answer is four", "the answer is four");
        shadow("the answer is four", "four");
        assertThat(now().phaseText()).isEqualTo("shadow:3");
        shadow("no idea", "the answer is four");
        assertThat(now().phaseText()).isEqualTo("10%:5");
        assertThat(rollouts.status("r1").candidate().agreement()).isBetween(0.4, 0.5);
        assertThat(rollouts.status("r1").timeline()).extracting(RolloutStatus.Event::kind)
                .containsExactly("started", "phase");
    }

    @Test
    void aShareIsStickyPerUserAndSplitsUsersByItsPercentage() {
        start("30%:100,100%", Gates.defaults());
        List<AliasArbiter.Assignment> first = IntStream.range(0, 1000)
                .mapToObj(i -> rollouts.assign("assistant", "up/base", CallContext.of("user" + i))).toList();
        List<AliasArbiter.Assignment> again = IntStream.range(0, 1000)
                .mapToObj(i -> rollouts.assign("assistant", "up/base", CallContext.of("user" + i))).toList();
        assertThat(again).as("the same user lands on the same arm").isEqualTo(first);
        long toCandidate = first.stream().filter(a -> a instanceof AliasArbiter.Candidate).count();
        assertThat(toCandidate).isBetween(240L, 360L);
    }

    @Test
    void aDurationStepMovesOnlyOnceItsTimeHasPassed() {
        start("5%:30m,50%:10,100%", Gates.defaults());
        clock.advance(Duration.ofMinutes(29));
        rollouts.tick();
        assertThat(now().phaseText()).isEqualTo("5%:30m");
        clock.advance(Duration.ofMinutes(1));
        rollouts.tick();
        assertThat(now().phaseText()).isEqualTo("50%:10");
        assertThat(now().phaseStartedAt()).isEqualTo(clock.millis());
    }

    @Test
    void theLastStepPromotesAfterPersistingThenRetargetsAndEndsTheRollout() {
        start("50%:2,100%", Gates.defaults());
        candidate(true, 10, 1);
        candidate(true, 10, 1);
        assertThat(now().state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promotions).containsExactly("persist assistant up/cand", "retarget assistant up/cand");
        assertThat(rollouts.assign("assistant", "up/cand", CallContext.of("u"))).isInstanceOf(AliasArbiter.Untouched.class);
    }

    @Test
    void theErrorRateGateWaitsForMinRequestsThenRollsBackAtOnceAndNotifiesTheOwner() {
        start("50%:1000,100%", gates(0.2, null, null, 5));
        candidate(false, 10, 0);
        candidate(false, 10, 0);
        candidate(true, 10, 0);
        candidate(true, 10, 0);
        assertThat(now().state()).as("4 calls: below --min-requests").isEqualTo(Rollout.State.RUNNING);
        candidate(true, 10, 0);
        Rollout r = now();
        assertThat(r.state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(r.reason()).isEqualTo("gate failed: error rate 40.0% (2 of 5 candidate calls failed) is above the"
                + " 20.0% allowed");
        assertThat(rollouts.status("r1").timeline()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("notify");
            assertThat(e.message()).startsWith("to alice: rollout r1 of assistant to up/cand was rolled back");
        });
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u")))
                .as("no traffic after a rollback").isInstanceOf(AliasArbiter.Untouched.class);
        assertThat(promotions).isEmpty();
    }

    @Test
    void theP95GateRollsBackASlowCandidate() {
        start("50%:1000,100%", gates(1.0, 500L, null, 20));
        IntStream.range(0, 18).forEach(i -> candidate(true, 100, 0));
        candidate(true, 900, 0);
        assertThat(now().state()).isEqualTo(Rollout.State.RUNNING);
        candidate(true, 900, 0);
        assertThat(now().state()).as("2 of 20 slow: the 95th percentile is slow").isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(now().reason()).isEqualTo("gate failed: p95 latency 900 ms is above the 500 ms allowed");
    }

    @Test
    void theCostRatioGateComparesMeanCostPerCallWithTheBaselines() {
        start("50%:1000,100%", gates(1.0, null, 1.5, 3));
        baseline(100);
        baseline(100);
        candidate(true, 10, 140);
        candidate(true, 10, 150);
        candidate(true, 10, 160);
        assertThat(now().state()).as("1.5× exactly is allowed").isEqualTo(Rollout.State.RUNNING);
        candidate(true, 10, 400);
        assertThat(now().state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(now().reason()).isEqualTo("gate failed: cost per call is 2.13× the baseline's, above the 1.50×"
                + " allowed");
    }

    @Test
    void theGatesAreCheckedAtEveryStepEvenBelowMinRequests() {
        start("shadow:2,50%:10,100%", gates(0.1, null, null, 50));
        shadow("yes", "yes");
        rollouts.observe(new AliasArbiter.Observed("r1", Arm.CANDIDATE, "up/cand", "u", true, 10, 0, "boom", null,
                answer("yes")));
        assertThat(now().state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(now().phaseText()).isEqualTo("rolled_back");
    }

    @Test
    void pauseSendsEveryoneToTheBaselineAndResumeCarriesOn() {
        start("shadow:5,100%", Gates.defaults());
        rollouts.pause("r1");
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Untouched.class);
        assertThatThrownBy(() -> rollouts.pause("r1")).isInstanceOf(RolloutException.class)
                .hasMessage("rollout r1 is paused");
        rollouts.resume("r1");
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Shadow.class);
        rollouts.abort("r1");
        assertThat(now().state()).isEqualTo(Rollout.State.ABORTED);
        assertThat(rollouts.status("r1").timeline()).extracting(RolloutStatus.Event::kind)
                .containsExactly("started", "paused", "resumed", "aborted");
    }

    @Test
    void promoteAndRollbackByHand() {
        start("shadow:5,100%", Gates.defaults());
        rollouts.promote("r1");
        assertThat(now().state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promotions).containsExactly("persist assistant up/cand", "retarget assistant up/cand");
        rollouts.start("r2", "assistant", "up/cand", "up/other", RolloutPlan.parse("shadow:5,100%"), Gates.defaults(),
                "alice");
        rollouts.rollback("r2");
        assertThat(rollouts.find("r2").state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThatThrownBy(() -> rollouts.resume("r2")).hasMessage("rollout r2 is rolled_back");
    }

    @Test
    void oneRolloutPerAliasAndUniqueNames() {
        start("shadow:5,100%", Gates.defaults());
        assertThatThrownBy(() -> rollouts.start("r2", "assistant", "up/base", "up/x", RolloutPlan.parse("shadow:1,100%"),
                Gates.defaults(), null)).isInstanceOf(RolloutException.class)
                .hasMessage("alias assistant is already being rolled out by r1");
        assertThatThrownBy(() -> rollouts.start("r1", "writer", "up/base", "up/x", RolloutPlan.parse("shadow:1,100%"),
                Gates.defaults(), null)).hasMessage("a rollout named r1 exists already");
        assertThatThrownBy(() -> rollouts.find("nope")).hasMessage("no rollout named nope");
        assertThat(rollouts.list()).hasSize(1);
    }

    @Test
    void aRestartCarriesOnWithTheCountsOfItsPhase() {
        start("shadow:4,100%", Gates.defaults());
        shadow("a", "a");
        shadow("a", "a");
        Rollouts restarted = engine();
        rollouts = restarted;
        assertThat(restarted.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Shadow.class);
        shadow("a", "a");
        assertThat(now().state()).isEqualTo(Rollout.State.RUNNING);
        shadow("a", "a");
        assertThat(now().state()).isEqualTo(Rollout.State.PROMOTED);
    }

    @Test
    void aCommandFromAnotherProcessIsSeenWithinTheRefreshInterval() {
        start("shadow:4,100%", Gates.defaults());
        rollouts.assign("assistant", "up/base", CallContext.of("u"));
        engine().pause("r1"); // as the CLI would, in its own process
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Shadow.class);
        clock.advance(Duration.ofMillis(Rollouts.REFRESH_MILLIS));
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Untouched.class);
    }

    @Test
    void aPromotionThatFailsPausesTheRolloutWithWhyAndTellsTheOwner() {
        start("50%:1,100%", Gates.defaults());
        promotionFails = true;
        candidate(true, 10, 1);
        assertThat(now().state()).isEqualTo(Rollout.State.PAUSED);
        assertThat(now().reason()).isEqualTo("promotion failed: steward.yaml is read-only");
        assertThat(rollouts.status("r1").timeline()).extracting(RolloutStatus.Event::kind).contains("notify");
        assertThatThrownBy(() -> rollouts.promote("r1")).isInstanceOf(RolloutException.class)
                .hasMessage("promotion failed: steward.yaml is read-only; nothing was changed");
        promotionFails = false;
        rollouts.promote("r1");
        assertThat(now().state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promotions).containsExactly("persist assistant up/cand", "retarget assistant up/cand");
    }

    /** A call of one arm that served a task, so that verdicts on the task and ratings of it judge that arm. */
    void served(Arm arm, String taskId) {
        rollouts.observe(new AliasArbiter.Observed("r1", arm, arm == Arm.CANDIDATE ? "up/cand" : "up/base", "u", false,
                10, 1, null, answer("yes"), null, taskId));
    }

    @Test
    void theSupervisorGateRollsBackACandidateWhoseAnswersAreRejectedMoreOftenThanTheBaselines() {
        start("50%:1000,100%", new Gates(0.05, null, null, 1, 0.2, 0.2));
        for (int i = 0; i < 5; i++) {
            served(Arm.BASELINE, "b" + i);
            rollouts.judged("b" + i, Rollouts.Judgement.SUPERVISOR, true);
            served(Arm.CANDIDATE, "c" + i);
            rollouts.judged("c" + i, Rollouts.Judgement.SUPERVISOR, i == 0);
            if (i < 4) {
                assertThat(now().state()).as("fewer than %d verdicts say too little", Gates.MIN_JUDGEMENTS)
                        .isEqualTo(Rollout.State.RUNNING);
            }
        }
        assertThat(now().state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(now().reason()).isEqualTo("gate failed: Supervisor pass rate 20% (1 of 5 candidate answers) is 80"
                + " points under the baseline's 100%, more than the 20 allowed");
        assertThat(rollouts.status("r1").timeline()).anyMatch(e -> e.kind().equals("notify"));
        assertThat(rollouts.assign("assistant", "up/base", CallContext.of("u"))).isInstanceOf(AliasArbiter.Untouched.class);
    }

    @Test
    void theSupervisorGateLetsACandidateAsGoodAsTheBaselinePass() {
        start("50%:1000,100%", new Gates(0.05, null, null, 1, 0.2, 0.2));
        for (int i = 0; i < 10; i++) {
            served(Arm.BASELINE, "b" + i);
            rollouts.judged("b" + i, Rollouts.Judgement.SUPERVISOR, i % 5 != 0); // 80%
            served(Arm.CANDIDATE, "c" + i);
            rollouts.judged("c" + i, Rollouts.Judgement.SUPERVISOR, i % 3 != 0); // 60%: 20 points, not more
        }
        assertThat(now().state()).isEqualTo(Rollout.State.RUNNING);
        assertThat(rollouts.status("r1").candidate().judgements()).isEqualTo(new Judgements(10, 6, 0, 0));
        assertThat(rollouts.status("r1").json().path("arms").path("candidate").path("supervisor_pass_rate").asDouble())
                .isEqualTo(0.6);
    }

    @Test
    void theFeedbackGateRollsBackACandidateUsersRateWorseAndALaterRatingReplacesAnEarlierOne() {
        start("50%:1000,100%", new Gates(0.05, null, null, 1, 0.2, 0.3));
        for (int i = 0; i < 5; i++) {
            served(Arm.BASELINE, "b" + i);
            rollouts.judged("b" + i, Rollouts.Judgement.FEEDBACK, i != 0); // 80% up
            served(Arm.CANDIDATE, "c" + i);
            rollouts.judged("c" + i, Rollouts.Judgement.FEEDBACK, true);
        }
        assertThat(now().state()).isEqualTo(Rollout.State.RUNNING);
        for (int i = 0; i < 3; i++) {
            rollouts.judged("c" + i, Rollouts.Judgement.FEEDBACK, false); // the users changed their minds
        }
        assertThat(now().state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(now().reason()).isEqualTo("gate failed: users rated 40% of candidate answers up (2 of 5), 40"
                + " points under the baseline's 80%, more than the 30 allowed");
    }

    @Test
    void judgementsOfTasksNoArmAnsweredOrOfShadowCopiesCountForNobody() {
        start("shadow:100,100%", Gates.defaults());
        rollouts.observe(new AliasArbiter.Observed("r1", Arm.CANDIDATE, "up/cand", "u", true, 10, 1, null,
                answer("no"), answer("yes"), "t1"));
        rollouts.judged("t1", Rollouts.Judgement.FEEDBACK, false);
        rollouts.judged("unknown-task", Rollouts.Judgement.SUPERVISOR, false);
        assertThat(rollouts.status("r1").candidate().judgements()).isEqualTo(Judgements.NONE);
        assertThat(rollouts.status("r1").baseline().judgements()).isEqualTo(Judgements.NONE);
    }
}
