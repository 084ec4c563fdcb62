package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upkeep summarises old episodes a week at a time, on a real database and Lucene index: recent ones and a week's lone
 * exchange stay, each user's are their own, the index follows, and undo puts the originals back.
 */
class MemoryUpkeepEpisodesTest {
    static final String ANN = "ann";
    static final String BOB = "bob";

    @TempDir
    Path home;
    final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T09:00:00Z")); // a Monday
    Database database;
    MemoryIndex index;
    Memory memory;
    MemoryStore store;
    MemoryUpkeep upkeep;
    List<Episode> annBefore;

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        index = new MemoryIndex(home.resolve("index"), Embedder.hashing(64), Ranking.defaults(), clock);
        memory = new Memory(database, index, new PatternFactExtractor(), clock);
        store = new MemoryStore(database);
        upkeep = new MemoryUpkeep(database, memory, clock);

        said(ANN, "hi there", "Hello! How can I help?", Duration.ZERO);
        said(ANN, "Book the dentist, Dr Quill, for Tuesday 14 April at 10:00",
                "Booked Dr Quill for Tuesday 14 April at 10:00.", Duration.ofMinutes(1));
        said(ANN, "thanks", "You're welcome.", Duration.ofDays(2));
        said(ANN, "The Lighthouse budget is 42,000 euros for 2026", "Noted: Lighthouse has a budget of 42,000 euros.",
                Duration.ofDays(1));
        said(BOB, "Order twelve chairs from Ikea", "Ordered twelve chairs.", Duration.ZERO);
        said(BOB, "ok", "Good.", Duration.ofMinutes(2));
        said(ANN, "Send the contract to Bob at Globex", "I sent the contract to Bob at Globex.", Duration.ofDays(12));
        said(ANN, "ok", "Good.", Duration.ofMinutes(5));
        said(ANN, "The plumber comes on Friday", "Noted.", Duration.ofDays(14)); // alone in its week
        clock.advance(Duration.ofDays(100));
        said(ANN, "Remind me to renew the Lighthouse domain", "I will.", Duration.ZERO); // recent
        clock.advance(Duration.ofDays(10));
        annBefore = store.episodes(ANN);
    }

    @AfterEach
    void close() {
        index.close();
        database.close();
    }

    @Test
    void aDryRunListsEachOldWeekAndChangesNothing() {
        MemoryUpkeep.Report report = upkeep.check(ANN, MemoryUpkeep.Ages.defaults());

        assertThat(report.findings()).filteredOn(f -> f.kind() == MemoryUpkeep.Kind.OLD_EPISODES)
                .extracting(MemoryUpkeep.Finding::description).containsExactly(
                        "4 exchanges of the week of 2026-01-05 (2026-01-05 to 2026-01-08) are older than 90 days",
                        "2 exchanges of the week of 2026-01-19 (2026-01-20 to 2026-01-20) are older than 90 days");
        assertThat(report.summary()).contains("old_episodes: 4 exchanges").contains("nothing was changed");
        assertThat(store.episodes(ANN)).isEqualTo(annBefore);
        assertThat(upkeep.check(ANN, new MemoryUpkeep.Ages(MemoryUpkeep.DEFAULT_STALE_AFTER, Duration.ofDays(200)))
                .findings()).as("the age is the caller's to set").noneMatch(f -> f.kind()
                == MemoryUpkeep.Kind.OLD_EPISODES);
    }

    @Test
    void applyReplacesEachOldWeekByADatedSummaryWithItsSourcesAndTheIndexFollows() {
        MemoryUpkeep.Report run = upkeep.apply(ANN, MemoryUpkeep.Ages.defaults());

        List<Episode> after = store.episodes(ANN);
        assertThat(after).filteredOn(Episode::summary).hasSize(2);
        assertThat(after).filteredOn(e -> !e.summary()).extracting(Episode::input).containsExactly(
                "The plumber comes on Friday", "Remind me to renew the Lighthouse domain");
        Episode firstWeek = after.stream().filter(Episode::summary).findFirst().orElseThrow();
        assertThat(firstWeek.createdAt()).as("it stands where its week began").isEqualTo(annBefore.getFirst()
                .createdAt());
        assertThat(firstWeek.text())
                .startsWith("Summary of 4 exchanges of the week of 2026-01-05 (2026-01-05 to 2026-01-08):\n")
                .contains("- 2026-01-05 you: Book the dentist, Dr Quill, for Tuesday 14 April at 10:00")
                .contains("- 2026-01-08 you: The Lighthouse budget is 42,000 euros for 2026")
                .doesNotContain("hi there").doesNotContain("thanks").doesNotContain("welcome");
        for (Episode original : annBefore.subList(0, 4)) {
            assertThat(firstWeek.text()).as("names every source with its date")
                    .contains(EpisodeUpkeep.day(original.createdAt()) + " episode " + original.id());
        }
        assertThat(store.episodes(BOB)).as("another user's old episodes are theirs to tidy").hasSize(2)
                .noneMatch(Episode::summary);

        List<String> found = ids(index.search(MemoryQuery.of(ANN, "dentist Dr Quill April", 10)));
        assertThat(found).contains(firstWeek.id()).doesNotContainAnyElementsOf(ids(annBefore.subList(0, 4)));
        assertThat(memory.recall(ANN, "when is the dentist appointment", 5).episodes()).extracting(Episode::id)
                .contains(firstWeek.id());
        assertThat(memory.indexDrift()).isEmpty();
        assertThat(upkeep.check(ANN, MemoryUpkeep.Ages.defaults()).findings())
                .as("a summary is not summarised again").noneMatch(f -> f.kind() == MemoryUpkeep.Kind.OLD_EPISODES);

        MemoryUpkeep.Undone undone = upkeep.undo(ANN, run.runId());

        assertThat(undone.restored()).isEqualTo(2);
        assertThat(store.episodes(ANN)).isEqualTo(annBefore);
        assertThat(ids(index.search(MemoryQuery.of(ANN, "dentist Dr Quill April", 10))))
                .contains(annBefore.get(1).id()).doesNotContain(firstWeek.id());
        assertThat(memory.indexDrift()).isEmpty();
    }

    @Test
    void aSummaryForgottenSinceIsNotUndoneIntoItsOriginals() {
        MemoryUpkeep.Report run = upkeep.apply(ANN, MemoryUpkeep.Ages.defaults());

        assertThat(memory.forget(ANN, "Dr Quill").episodes()).isEqualTo(1);
        MemoryUpkeep.Undone undone = upkeep.undo(ANN, run.runId());

        assertThat(undone.restored()).as("only the other week").isEqualTo(1);
        assertThat(store.episodes(ANN)).extracting(Episode::input).noneMatch(i -> i.contains("Quill"))
                .contains("Send the contract to Bob at Globex");
        List<String> journal = database.jdbi().withHandle(h -> h.createQuery("SELECT detail FROM memory_upkeep")
                .mapTo(String.class).list());
        assertThat(journal).as("nor does the journal keep the forgotten words")
                .noneMatch(d -> d.contains("Quill"));
    }

    @Test
    void theExtractiveSummaryKeepsTheMostInformativeSentencesInOrderAndIsTheSameEveryTime() {
        List<Episode> week = annBefore.subList(0, 4);

        String summary = EpisodeSummariser.extractive().summarise(ANN, week);

        assertThat(summary.lines()).hasSize(3).allMatch(l -> l.matches("- 2026-01-0[58] (you|Steward): .+"));
        assertThat(summary).contains("Dr Quill").contains("42,000").doesNotContain("Hello");
        assertThat(EpisodeSummariser.extractive().summarise(ANN, week)).isEqualTo(summary);
    }

    @Test
    void anAdminsViewOfTheReportHoldsNoneOfWhatIsRemembered() {
        memory.remember(ANN, "remember that my dentist is Dr Quill", Memory.SOURCE_MESSAGE, null);
        store.insertEntity(new Entity("initech", ANN, "Initech", "company", List.of(), clock.millis()));

        MemoryUpkeep.Report shown = upkeep.check(ANN, MemoryUpkeep.Ages.defaults()).withoutContent();

        assertThat(shown.findings()).extracting(MemoryUpkeep.Finding::kind).contains(MemoryUpkeep.Kind.ORPHAN_ENTITY,
                MemoryUpkeep.Kind.OLD_EPISODES);
        assertThat(shown.summary()).doesNotContain("Initech").doesNotContain("Quill").contains("orphan entity initech")
                .contains("4 exchanges of the week of 2026-01-05");
    }

    private void said(String user, String input, String answer, Duration after) {
        clock.advance(after);
        memory.learn(user, input, answer, null, false);
    }

    private static List<String> ids(List<?> items) {
        return items.stream().map(i -> i instanceof MemoryHit h ? h.document().id() : ((Episode) i).id()).toList();
    }
}
