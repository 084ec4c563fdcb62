package dev.steward.app;

import dev.steward.store.Database;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The short-lived application, loaded on a thread of its own while the main thread builds the command line's
 * picocli model: reading the configuration, opening the database and the memory index are a third of a short
 * command's start, and a second core is there (issue 23). What it made, or how it failed, is handed over whole.
 */
final class StewardPreload {
    private final CompletableFuture<Steward> loaded = new CompletableFuture<>();

    private StewardPreload() {}

    static StewardPreload start(Map<String, String> env) {
        StewardPreload preload = new StewardPreload();
        Thread.ofPlatform().name("steward-preload").daemon().start(() -> {
            try {
                Steward steward = Steward.load(env, Steward.Lifetime.SHORT);
                // The database and the memory index, what every task reads first, open side by side: neither needs
                // the other, and the main thread leaves a core free once picocli's model is built. The index's thread
                // also makes what the database's first query would make at run time; the database's thread goes on
                // to build the router, which needs the database and not the index.
                Thread index = Thread.ofPlatform().name("steward-preload-index").daemon().start(() -> {
                    Database.prepareFirstUse();
                    openOrLeave(steward::memorySearch);
                });
                openOrLeave(steward::database);
                openOrLeave(steward::router); // what ask checks first
                index.join();
                preload.loaded.complete(steward);
            } catch (RuntimeException | Error failed) {
                preload.loaded.completeExceptionally(failed);
            } catch (InterruptedException stopped) {
                preload.loaded.completeExceptionally(new IllegalStateException("the preload was interrupted", stopped));
            }
        });
        return preload;
    }

    /** Opens a part; a failure is left for the command to meet again where it would have met it without a preload. */
    private static void openOrLeave(Supplier<?> part) {
        try {
            part.get();
        } catch (RuntimeException | Error notYet) {
            // met again by the command
        }
    }

    /**
     * Whether a command line asks for the short-lived application at once: {@code ask} with words, every option one
     * that {@code ask} knows. Anything else (its help, a bare {@code ask}, a mistyped option) is answered by picocli
     * without the application, and must not create a home or a database first. The root's options are flags, so the
     * first word that is not an option is the command; the other commands' annotations are not read here, which
     * would cost the main thread what the preload saves.
     */
    static boolean worthIt(String[] args) {
        int at = 0;
        while (at < args.length && args[at].startsWith("-")) {
            if (!args[at].equals("--debug")) { // the root's one flag (StewardCommand)
                return false;
            }
            at++;
        }
        if (at == args.length || !args[at].equals("ask")) {
            return false;
        }
        boolean words = false;
        for (int i = at + 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return words || i + 1 < args.length;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                words = true;
                continue;
            }
            int equals = arg.indexOf('=');
            Boolean takesValue = ASK_OPTIONS.get(equals < 0 ? arg : arg.substring(0, equals));
            if (takesValue == null) {
                return false;
            }
            if (takesValue && equals < 0) {
                i++; // its value
            }
        }
        return words;
    }

    /**
     * The options {@code ask} takes, its mixins' and the inherited {@code --debug}, each with whether it takes a value.
     * Written out rather than read from the annotations: annotations are proxies the JDK makes at run time, and reading
     * them here cost the main thread 30 ms before the preload could start (issue 23). A test keeps this in step.
     */
    static final Map<String, Boolean> ASK_OPTIONS = Map.of("--debug", false, "--agent", true, "--model", true,
            "--json", false);

    /** The application once loaded; a failure to load is thrown here, as the loader threw it. */
    Steward join() {
        try {
            return loaded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
