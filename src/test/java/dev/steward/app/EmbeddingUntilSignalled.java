package dev.steward.app;

import dev.steward.memory.Embedder;
import java.util.List;

/**
 * A child JVM for {@link StopSignalsTest}: several threads embed with the production model without pause, as the
 * background embedder and requests do in {@code steward serve}, until a signal stops the process; a shutdown hook
 * holds the shutdown open for a second, as serve's graceful stop and a node's drain do. With
 * {@code unprotected}, the stop-signal handling is left out (how serve stopped before issue 23 was fixed).
 */
public final class EmbeddingUntilSignalled {
    private EmbeddingUntilSignalled() {
    }

    public static void main(String[] args) throws InterruptedException {
        Embedder model = Embedder.production();
        if (!List.of(args).contains("unprotected")) {
            StopSignals.install(model::close);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        boolean cold = List.of(args).contains("cold");
        if (cold) {
            System.out.println("embedding"); // the model loads while the process stops
            Thread.sleep(200);
        }
        model.embed("warm up: the model loads here");
        for (int i = 0; i < 3; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        model.embedAll(List.of("Alice prefers tea in the morning", "the invoice is due on Friday"));
                        model.embedQuery("what does Alice drink?");
                    }
                } catch (IllegalStateException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            });
        }
        if (!cold) {
            System.out.println("embedding");
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
