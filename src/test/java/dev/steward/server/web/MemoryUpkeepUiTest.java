package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import dev.steward.memory.Episode;
import dev.steward.memory.Memory;
import dev.steward.support.Json;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory page's upkeep report, Apply and Undo, in real headless Chromium against a real server. */
class MemoryUpkeepUiTest extends BrowserTest {

    @Test
    void theMemoryPageShowsWhatUpkeepWouldChangeAppliesItAndUndoesIt(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        String userId = server.accounts.findUser(name).orElseThrow().id();
        long monday = LocalDate.now(ZoneOffset.UTC).minusDays(200).with(DayOfWeek.MONDAY).atTime(12, 0)
                .toInstant(ZoneOffset.UTC).toEpochMilli();
        var export = Json.object().put("format", Memory.EXPORT_FORMAT).put("version", Memory.EXPORT_VERSION);
        var episodes = export.putArray("episodes");
        for (String said : List.of("Book the dentist, Dr Quill, for Tuesday at 10:00", "thanks")) {
            episodes.addObject().put("id", userId.substring(0, 4) + episodes.size()).put("kind", "exchange")
                    .put("input", said).put("answer", "Done.").put("created_at", monday + episodes.size() * 60_000L);
        }
        server.memory.importJson(userId, export);
        List<Episode> originals = server.memory.episodes(userId);
        model.thenAnswer("Dentist (Dr Quill) booked for Tuesday at 10:00.");

        logIn(page, name);
        goTo(page, "Memory");
        Locator upkeep = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Upkeep"));
        assertThat(upkeep.locator(".finding[data-kind=old_episodes]")).containsText("2 exchanges of the week of",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        tab.screenshot("pages/memory-upkeep");

        upkeep.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply 1 change")).click();
        assertThat(upkeep).containsText("Memory is tidy");
        assertThat(server.memory.episodes(userId)).singleElement().satisfies(e -> assertThat(e.summary()).isTrue());

        upkeep.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Undo the last run")).click();
        assertThat(upkeep.locator(".finding[data-kind=old_episodes]")).containsText("2 exchanges of the week of");
        assertThat(upkeep.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Undo the last run")))
                .hasCount(0);
        assertThat(server.memory.episodes(userId)).isEqualTo(originals);
    }
}
