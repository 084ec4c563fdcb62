package dev.steward.integrations.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import dev.steward.actions.ToolException;
import dev.steward.actions.Workspace;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BrowserConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Chromium for the browser tools: Playwright and the browser start on the first browser call, not before; each task
 * gets its own isolated context, closed when the task ends ({@link #endTask}) or after it sat idle for
 * {@link #IDLE_MILLIS}; a call outside any task gets a context for that call alone. Playwright is not thread-safe,
 * so one lock serialises every use of it: tasks take turns at the browser, never share a page.
 */
public final class WebBrowser implements AutoCloseable {
    static final long IDLE_MILLIS = 15 * 60_000;

    private final BrowserConfig config;
    private final ActionsConfig.Http network;
    private final Workspace workspace;
    private final Map<String, TaskBrowser> tasks = new HashMap<>();
    private final Map<String, PageRules> rules = new HashMap<>();
    private Playwright playwright;
    private Browser browser;

    public WebBrowser(BrowserConfig config, ActionsConfig.Http network, Path workspace) {
        this.config = config;
        this.network = network;
        this.workspace = new Workspace(workspace);
    }

    Workspace workspace() {
        return workspace;
    }

    BrowserConfig config() {
        return config;
    }

    /** Whether Chromium is running (for tests and status; the tools start it). */
    public synchronized boolean started() {
        return browser != null && browser.isConnected();
    }

    /** Runs {@code work} on the task's page (a fresh one for a call outside a task, closed after it). */
    synchronized <T> T use(String taskId, Function<Session, T> work) {
        closeIdle();
        Browser running = start();
        if (taskId == null) {
            PageRules once = new PageRules(config, network);
            try (TaskBrowser alone = new TaskBrowser(running, once, config, workspace)) {
                return work.apply(new Session(alone, once));
            }
        }
        PageRules taskRules = rules.computeIfAbsent(taskId, id -> new PageRules(config, network));
        TaskBrowser task = tasks.get(taskId);
        if (task == null) {
            task = new TaskBrowser(running, taskRules, config, workspace);
            tasks.put(taskId, task);
        }
        return work.apply(new Session(task, taskRules));
    }

    /** A task's page and the rules it is held to. */
    record Session(TaskBrowser browser, PageRules rules) {}

    /** Closes the task's context, if it has one: its cookies, pages and element references are gone. */
    public synchronized void endTask(String taskId) {
        TaskBrowser task = tasks.remove(taskId);
        rules.remove(taskId);
        if (task != null) {
            task.close();
        }
    }

    /** How many task contexts are open. */
    public synchronized int openTasks() {
        return tasks.size();
    }

    private void closeIdle() {
        long now = System.currentTimeMillis();
        for (Iterator<Map.Entry<String, TaskBrowser>> it = tasks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, TaskBrowser> entry = it.next();
            if (now - entry.getValue().lastUsed() > IDLE_MILLIS) {
                entry.getValue().close();
                rules.remove(entry.getKey());
                it.remove();
            }
        }
    }

    private Browser start() {
        if (browser != null && browser.isConnected()) {
            return browser;
        }
        stop(); // a browser that crashed takes its contexts with it
        Path chromium = Path.of(config.executable());
        if (!Files.isExecutable(chromium)) {
            throw new ToolException("the browser tools drive Chromium at " + chromium + ", which is not there: "
                    + "install it (sudo apt-get install chromium) or set browser.executable in steward.yaml");
        }
        Path node = findNode(config.node());
        try {
            // The driver runs on the system's Node (the jar carries the driver's JavaScript, not a Node of its own);
            // no browser is ever downloaded.
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(
                    "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "PLAYWRIGHT_NODEJS_PATH", node.toString())));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                    .setHeadless(true).setTimeout(config.timeoutSeconds() * 1000.0));
            return browser;
        } catch (PlaywrightException e) {
            stop();
            throw new ToolException("could not start Chromium (" + chromium + "): " + TaskBrowser.firstLine(e));
        }
    }

    /** {@code node} as configured: a path, or a name looked up on the PATH. */
    static Path findNode(String node) {
        if (node.contains(File.separator)) {
            Path given = Path.of(node);
            if (Files.isExecutable(given)) {
                return given;
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, node);
                if (Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        throw new ToolException("the browser tools run Playwright's driver on Node.js, and '" + node + "' was not "
                + "found: install it (sudo apt-get install nodejs) or set browser.node in steward.yaml");
    }

    private void stop() {
        tasks.values().forEach(TaskBrowser::close);
        tasks.clear();
        rules.clear();
        if (playwright != null) {
            try {
                playwright.close();
            } catch (PlaywrightException e) {
                // already gone
            }
        }
        playwright = null;
        browser = null;
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
