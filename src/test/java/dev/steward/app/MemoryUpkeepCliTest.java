package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.app.StewardProcess.Result;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old episodes summarised by {@code steward memory upkeep} as a user runs it: separate offline processes. */
class MemoryUpkeepCliTest {
    @TempDir
    Path temp;

    @Test
    void aWeekOfOldExchangesIsListedSummarisedAndPutBack() throws Exception {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        long monday = LocalDate.now(ZoneOffset.UTC).minusDays(120).with(DayOfWeek.MONDAY).atTime(9, 0)
                .toInstant(ZoneOffset.UTC).toEpochMilli();
        var export = Json.object().put("format", "steward-memory").put("version", 1);
        var episodes = export.putArray("episodes");
        episodes.addObject().put("id", "ep1").put("kind", "exchange").put("input", "hello").put("answer", "Hi!")
                .put("created_at", monday);
        episodes.addObject().put("id", "ep2").put("kind", "exchange")
                .put("input", "The Lighthouse launch moved to 3 March").put("answer", "Noted.")
                .put("created_at", monday + 3_600_000);
        Path file = Files.writeString(temp.resolve("old.json"), Json.write(export));
        assertThat(steward.run("memory", "import", file.toString()).exit()).isZero();

        Result dry = steward.run("memory", "upkeep");
        assertThat(dry.exit()).as("%s", dry).isZero();
        assertThat(dry.out()).contains("old_episodes: 2 exchanges of the week of").contains("older than 90 days")
                .contains("nothing was changed");
        Result later = steward.run("memory", "upkeep", "--summarise-days", "200");
        assertThat(later.out()).as("the age is yours to set").doesNotContain("old_episodes");
        Result zero = steward.run("memory", "upkeep", "--summarise-days", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--summarise-days must be at least 1");

        Result applied = steward.run("memory", "upkeep", "--apply", "--json");
        assertThat(applied.exit()).as("%s", applied).isZero();
        JsonNode run = Json.parse(applied.out());
        assertThat(run.path("changes").asInt()).isEqualTo(1);
        JsonNode summarised = Json.parse(steward.run("memory", "export").out()).path("episodes");
        assertThat(summarised).hasSize(1);
        assertThat(summarised.get(0).path("kind").asText()).isEqualTo("summary");
        assertThat(summarised.get(0).path("input").asText()).contains("- " + LocalDate.now(ZoneOffset.UTC)
                .minusDays(120).with(DayOfWeek.MONDAY) + " you: The Lighthouse launch moved to 3 March")
                .contains("episode ep1").contains("episode ep2");

        Result undone = steward.run("memory", "upkeep", "--undo", run.path("run_id").asText());
        assertThat(undone.out()).contains("Put back 1 change");
        JsonNode back = Json.parse(steward.run("memory", "export").out()).path("episodes");
        assertThat(back).extracting(e -> e.path("id").asText()).containsExactly("ep1", "ep2");
    }
}
