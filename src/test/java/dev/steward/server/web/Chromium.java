package dev.steward.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real headless Chromium — Debian's {@code /usr/bin/chromium}, driven by Playwright, which never downloads a browser
 * of its own — for the web UI tests. One browser per test class; each test gets a {@link Tab}: a fresh context
 * (no cookies) and page. After each test, the test fails if the page logged a console error, threw, or saw a request
 * fail or answer 4xx/5xx that the test did not declare with {@link Tab#expectError}; when a test fails, a screenshot
 * of its page is saved under {@code target/ui-screenshots/}.
 */
final class Chromium implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Chromium.class);

    /** One page of a test, and what went wrong on it. */
    static final class Tab {
        final BrowserContext context;
        final Page page;
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final List<String> expected = new CopyOnWriteArrayList<>();

        private Tab(Browser browser) {
            context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860)
                    .setAcceptDownloads(true));
            context.setDefaultTimeout(10_000);
            page = context.newPage();
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type()) && !expectedText(message.text())) {
                    problems.add("console error: " + message.text() + " at " + message.location());
                }
            });
            page.onPageError(error -> problems.add("uncaught: " + error));
            page.onRequestFailed(request -> {
                // A stream the page closed itself (a task's events after its end, on leaving a page) is not a failure.
                boolean closedStream = request.url().contains("/events") && request.failure().contains("ERR_ABORTED");
                if (!closedStream) {
                    problems.add("request failed: " + request.method() + " " + request.url() + " " + request.failure());
                }
            });
            page.onResponse(response -> {
                String call = response.status() + " " + response.request().method() + " " + response.url();
                if (response.status() >= 400 && !expectedText(call)) {
                    problems.add("error response: " + call);
                }
            });
        }

        /** The test means to provoke this: a console error or response whose text contains {@code fragment}. */
        void expectError(String fragment) {
            expected.add(fragment);
        }

        private boolean expectedText(String text) {
            return expected.stream().anyMatch(text::contains);
        }

        /** Saves the page as it looks now under target/ui-screenshots/ (and returns the path). */
        Path screenshot(String name) {
            Path file = SCREENSHOTS.resolve(name + ".png");
            try {
                Files.createDirectories(SCREENSHOTS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            return file;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assertThat(Files.isExecutable(EXECUTABLE))
                .as("the web UI tests drive Debian's Chromium at %s; install it with: sudo apt-get install chromium",
                        EXECUTABLE)
                .isTrue();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE).setHeadless(true));
        store(context).put(Running.class, new Running(playwright, browser)); // JUnit closes it after the class
    }

    /** The browser of a test class; closing Playwright closes it. */
    private record Running(Playwright playwright, Browser browser) implements AutoCloseable {
        @Override
        public void close() {
            playwright.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Tab.class;
    }

    @Override
    public Tab resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Tab tab = new Tab(store(context).get(Running.class, Running.class).browser());
        store(context).put(Tab.class, tab);
        return tab;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Tab tab = store(context).remove(Tab.class, Tab.class);
        if (tab == null) {
            return;
        }
        if (context.getExecutionException().isPresent() || !tab.problems.isEmpty()) {
            Path file = tab.screenshot(context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName());
            System.err.println("screenshot of the failed test's page: " + file.toAbsolutePath());
        }
        List<String> problems = List.copyOf(tab.problems);
        tab.context.close();
        assertThat(problems).as("console errors, page errors and failed requests").isEmpty();
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NS); // a test's store finds its class's values too
    }
}
