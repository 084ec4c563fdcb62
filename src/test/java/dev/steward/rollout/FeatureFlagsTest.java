package dev.steward.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFlagsTest {
    @TempDir
    Path home;

    @Test
    void flagsAreOnOffAStickyShareOrListedUsersAndUnknownFlagsAreOff() {
        try (Database db = Database.open(home, DatabaseConfig.embedded())) {
            FeatureFlags flags = new FeatureFlags(db, Clock.systemUTC());
            assertThat(flags.enabled("new-planner", "alice")).isFalse();
            flags.set("new-planner", "on", null);
            assertThat(flags.enabled("new-planner", "alice")).isTrue();
            flags.set("new-planner", "off", null);
            assertThat(flags.enabled("new-planner", "alice")).isFalse();
            flags.set("new-planner", null, List.of("alice", "bob"));
            assertThat(flags.enabled("new-planner", "bob")).isTrue();
            assertThat(flags.enabled("new-planner", "carol")).isFalse();

            flags.set("new-planner", "20%", null);
            List<Boolean> first = IntStream.range(0, 1000).mapToObj(i -> flags.enabled("new-planner", "u" + i)).toList();
            assertThat(IntStream.range(0, 1000).mapToObj(i -> flags.enabled("new-planner", "u" + i)).toList())
                    .as("sticky").isEqualTo(first);
            assertThat(first.stream().filter(b -> b).count()).isBetween(150L, 250L);
            assertThat(flags.list()).singleElement().satisfies(f -> assertThat(f.describe()).isEqualTo("20%"));

            assertThat(flags.remove("new-planner")).isTrue();
            assertThat(flags.remove("new-planner")).isFalse();
            assertThat(flags.enabled("new-planner", "u1")).isFalse();
        }
    }

    @Test
    void aBadValueNamesWhatMayBeWritten() {
        try (Database db = Database.open(home, DatabaseConfig.embedded())) {
            FeatureFlags flags = new FeatureFlags(db, Clock.systemUTC());
            assertThatThrownBy(() -> flags.set("x", "maybe", null))
                    .hasMessage("'maybe' is not a flag value").extracting(e -> ((RolloutException) e).hint())
                    .isEqualTo("write " + FeatureFlags.SPEC);
            assertThatThrownBy(() -> flags.set("x", "150%", null)).hasMessage("'150%' is not a flag value");
            assertThatThrownBy(() -> flags.set("Bad Name", "on", null)).hasMessageContaining("not a usable flag name");
            assertThat(flags.list()).isEmpty();
        }
    }
}
