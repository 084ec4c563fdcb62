package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import dev.steward.router.RamTempDir;
import dev.steward.router.ScriptedModel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser tests share: a real server per test class (so that each class's users, logins and rate limits
 * are its own), a fresh script for its model before each test, a new user per test (so that tests do not see each
 * other's conversations, memory or approvals), and the steps a person takes — log in, send, go to a page.
 */
@ExtendWith(Chromium.class)
abstract class BrowserTest {
    static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir(factory = RamTempDir.class)
    static Path home;
    static UiServer server;

    ScriptedModel model;

    @BeforeAll
    static void startServer() {
        server = new UiServer(home);
    }

    @BeforeEach
    void newScript() {
        model = server.newScript();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static String newUser(Role role) {
        String name = "user" + USERS.incrementAndGet();
        server.addUser(name, role, PASSWORD);
        return name;
    }

    static void logIn(Page page, String name) {
        page.navigate(server.url());
        page.getByLabel("Name").fill(name);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByLabel("Password").press("Enter");
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))).isVisible();
    }

    static void logOut(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page.getByLabel("Name")).isVisible();
    }

    static void send(Page page, String message) {
        Locator input = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        input.fill(message);
        input.press("Enter");
    }

    static void goTo(Page page, String pageName) {
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(pageName)).click();
    }
}
