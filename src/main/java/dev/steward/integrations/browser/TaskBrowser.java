package dev.steward.integrations.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.microsoft.playwright.options.WaitUntilState;
import dev.steward.actions.ToolException;
import dev.steward.actions.Workspace;
import dev.steward.config.BrowserConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * One task's browser: an isolated context (no cookies or storage shared with any other task) and its page. Every
 * request the page makes passes {@link PageRules}; a page may not send a form by itself (a POST navigation) unless
 * {@link #submitting} is on, which only browser.submit_form turns on, after its approval. Downloads land in
 * {@code workspace/downloads/} when they are small enough, and are thrown away otherwise.
 */
final class TaskBrowser implements AutoCloseable {
    private static final Set<String> READING = Set.of("GET", "HEAD", "OPTIONS");

    private final BrowserContext context;
    private final Page page;
    private final BrowserConfig config;
    private final Workspace workspace;
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<String> downloads = new CopyOnWriteArrayList<>();
    private volatile boolean submitting;
    private volatile long lastUsed = System.currentTimeMillis();

    TaskBrowser(Browser browser, PageRules rules, BrowserConfig config, Workspace workspace) {
        this.config = config;
        this.workspace = workspace;
        // Service workers would answer requests without passing the route below.
        context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true)
                .setViewportSize(1280, 900).setServiceWorkers(ServiceWorkerPolicy.BLOCK)
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Steward/1 (+browser)"));
        try {
            context.setDefaultTimeout(config.timeoutSeconds() * 1000.0);
            context.setDefaultNavigationTimeout(config.timeoutSeconds() * 1000.0);
            context.route("**/*", route -> {
                Request request = route.request();
                boolean page = request.isNavigationRequest() && request.frame().parentFrame() == null;
                String why = rules.refusal(request.url(), page);
                if (why == null && page && !submitting && !READING.contains(request.method().toUpperCase(Locale.ROOT))) {
                    why = "the page tried to send a form (" + request.method() + " " + request.url()
                            + "); only browser.submit_form sends forms, after approval";
                }
                if (why != null) {
                    refused.add(why);
                    route.abort("blockedbyclient");
                } else {
                    route.resume();
                }
            });
            context.routeWebSocket(Pattern.compile(".*"), socket -> {
                String why = rules.refusal(socket.url().replaceFirst("^ws", "http"), false);
                if (why != null) {
                    refused.add(why);
                    socket.close();
                } else {
                    socket.connectToServer();
                }
            });
            page = context.newPage();
            page.onDownload(this::keep);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    Page page() {
        lastUsed = System.currentTimeMillis();
        return page;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** Opens a URL as the page (after the rules), waits for its scripts to settle, and checks where it ended up. */
    Response open(String url, PageRules rules) {
        rules.checkPage(url);
        refused.clear();
        Response response;
        try {
            response = page().navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.LOAD));
        } catch (TimeoutError e) {
            throw new ToolException(url + " did not finish loading within " + config.timeoutSeconds()
                    + " s (browser.timeout_seconds); the site may be slow or down");
        } catch (PlaywrightException e) {
            throw new ToolException(refusedOr("could not open " + url + ": " + firstLine(e)));
        }
        settle();
        // Redirects are followed inside Chromium; where the page ended up is checked again before anything is read.
        String landed = page.url();
        if (!landed.equals(url) && !landed.equals("about:blank")) {
            String why = rules.refusal(landed, true);
            if (why != null) {
                page.navigate("about:blank");
                throw new ToolException(url + " redirected: " + why);
            }
        }
        return response;
    }

    /** Waits briefly for the page's scripts and requests to go quiet; a page that never does is read as it is. */
    void settle() {
        try {
            page.waitForLoadState(LoadState.NETWORKIDLE, new Page.WaitForLoadStateOptions()
                    .setTimeout(Math.min(3_000, config.timeoutSeconds() * 1000.0)));
        } catch (TimeoutError e) {
            // streaming or polling pages never go idle; what has rendered so far is what there is
        }
    }

    /** Runs {@code action} with form sending allowed (browser.submit_form only). */
    void whileSubmitting(Runnable action) {
        submitting = true;
        try {
            action.run();
        } finally {
            submitting = false;
        }
    }

    /** What the rules kept the page from loading since it was opened. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    /** The message of a failed action, or the refusal that explains it when a request was refused. */
    String refusedOr(String message) {
        return refused.isEmpty() ? message : refused.getLast();
    }

    List<String> downloads() {
        return List.copyOf(downloads);
    }

    private void keep(Download download) {
        try {
            Path file = download.path();
            long size = Files.size(file);
            if (size > config.maxDownloadBytes()) {
                refused.add("download " + download.suggestedFilename() + " (" + size + " bytes) is larger than "
                        + "browser.max_download_bytes (" + config.maxDownloadBytes() + "); it was not kept");
                download.delete();
                return;
            }
            String name = Path.of(download.suggestedFilename()).getFileName().toString();
            Path target = workspace.resolve("downloads/" + name);
            Files.createDirectories(target.getParent());
            download.saveAs(target);
            downloads.add(workspace.show(target));
        } catch (IOException | PlaywrightException | ToolException e) {
            refused.add("download " + download.suggestedFilename() + " failed: " + e.getMessage());
        }
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (PlaywrightException e) {
            // the browser is already gone; so is this context
        }
    }
}
