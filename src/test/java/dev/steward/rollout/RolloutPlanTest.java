package dev.steward.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {
    @Test
    void readsShadowSharesByRequestsOrDurationAndPromotion() {
        RolloutPlan plan = RolloutPlan.parse("shadow:50, 5%:100,25%:30m,0.5%:2h,100%");
        assertThat(plan.steps()).containsExactly(new RolloutPlan.Shadow(50), new RolloutPlan.Share(5, 100, null),
                new RolloutPlan.Share(25, 0, Duration.ofMinutes(30)), new RolloutPlan.Share(0.5, 0, Duration.ofHours(2)),
                new RolloutPlan.Promote());
        assertThat(plan.text()).isEqualTo("shadow:50,5%:100,25%:30m,0.5%:2h,100%");
    }

    @Test
    void aMalformedPlanNamesTheBadStepAndShowsTheGrammar() {
        assertThatThrownBy(() -> RolloutPlan.parse("shadow:50,5%,100%"))
                .hasMessage("'5%' is not a step; " + RolloutPlan.GRAMMAR);
        assertThatThrownBy(() -> RolloutPlan.parse("shadow:50,5%:100"))
                .hasMessageStartingWith("the plan must end in 100% (promote), not '5%:100'");
        assertThatThrownBy(() -> RolloutPlan.parse("100%,shadow:5")).hasMessageStartingWith("'100%' promotes");
        assertThatThrownBy(() -> RolloutPlan.parse("shadow:0,100%")).hasMessageContaining("from 1");
        assertThatThrownBy(() -> RolloutPlan.parse(" ")).hasMessageContaining("shadow:N");
    }
}
