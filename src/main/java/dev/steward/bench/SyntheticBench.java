package dev.steward.bench;

import dev.steward.memory.Embedder;
import dev.steward.memory.MemoryDocument;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.MemoryQuery;
import dev.steward.memory.Ranking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Ingest rate and query latency of the production index on generated memories, all of one user. */
final class SyntheticBench {
    private static final String[] NAMES = {"Alice", "Bruno", "Chen", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines",
        "Jonas", "Kemal", "Lena", "Marta", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"};
    private static final String[] VERBS = {"bought", "repaired", "painted", "ordered", "sold", "borrowed", "cleaned",
        "designed", "lost", "found", "shipped", "returned", "reviewed", "tested", "planned", "booked"};
    private static final String[] ADJECTIVES = {"red", "old", "new", "large", "small", "wooden", "electric", "shared",
        "broken", "spare", "quiet", "fast", "vintage", "blue", "heavy", "portable"};
    private static final String[] THINGS = {"bicycle", "laptop", "printer", "sofa", "guitar", "camera", "kettle",
        "drone", "tent", "piano", "server", "van", "desk", "lamp", "boat", "oven", "invoice", "contract", "website",
        "garden", "kitchen", "roof", "report", "budget", "presentation", "database", "phone", "ticket", "flight",
        "hotel", "dinner", "concert"};
    private static final String[] PLACES = {"Lisbon", "the office", "the warehouse", "Berlin", "the market",
        "the lake house", "Osaka", "the studio", "the clinic", "Nairobi", "the school", "the garage", "Montreal",
        "the bakery", "the harbour", "Quito"};

    private final Embedder embedder;
    private final Ranking ranking;

    SyntheticBench(Embedder embedder, Ranking ranking) {
        this.embedder = embedder;
        this.ranking = ranking;
    }

    static String sentence(Random r, int i) {
        return pick(r, NAMES) + " " + pick(r, VERBS) + " the " + pick(r, ADJECTIVES) + " " + pick(r, THINGS) + " at "
                + pick(r, PLACES) + " with " + pick(r, NAMES) + " (note " + i + ")";
    }

    static String question(Random r) {
        return "What did " + pick(r, NAMES) + " do with the " + pick(r, ADJECTIVES) + " " + pick(r, THINGS) + " at "
                + pick(r, PLACES) + "?";
    }

    private static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    private static int p99(int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.ceil(n * 0.99) - 1));
    }

    String run(int n, int queries) throws IOException {
        Path dir = Files.createTempDirectory("steward-bench-memory-");
        Random r = new Random(42);
        StringBuilder report = new StringBuilder();
        try (MemoryIndex index = new MemoryIndex(dir, embedder, ranking, Clock.systemUTC())) {
            embedder.embed("warm up the model"); // the model load is not part of the ingest rate
            long day = 86_400_000L;
            long now = System.currentTimeMillis();
            long t0 = System.nanoTime();
            int batch = 256;
            for (int i = 0; i < n; i += batch) {
                List<MemoryDocument> docs = new ArrayList<>(batch);
                for (int j = i; j < Math.min(n, i + batch); j++) {
                    docs.add(new MemoryDocument("m" + j, "bench-user", j % 3 == 0 ? "episode" : "fact",
                            j % 3 == 0 ? null : "other", sentence(r, j), List.of("src-" + j),
                            now - (long) r.nextInt(1000) * day, 0.5 + r.nextDouble() / 2));
                }
                index.upsertAll(docs);
                index.embedPending(docs.size());
            }
            double ingest = (System.nanoTime() - t0) / 1e9;
            report.append(String.format(Locale.ROOT, "ingest: %d memories in %.1f s = %.0f memories/s (embedding "
                    + "included, %s)%n", n, ingest, n / ingest, embedder.name()));
            for (int i = 0; i < Math.min(100, queries); i++) { // warm-up: JIT, the first searcher, page cache
                index.search(MemoryQuery.of("bench-user", question(r), 10));
            }
            long[] nanos = new long[queries];
            long[] cpuNanos = new long[queries]; // this thread's CPU: the index's own work, whatever the load
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < queries; i++) {
                String q = question(r);
                long c0 = threads.getCurrentThreadCpuTime();
                long q0 = System.nanoTime();
                index.search(MemoryQuery.of("bench-user", q, 10));
                nanos[i] = System.nanoTime() - q0;
                cpuNanos[i] = threads.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(nanos);
            Arrays.sort(cpuNanos);
            long[] embedNanos = new long[queries];
            var process = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long embedCpu = process.getProcessCpuTime(); // the model runs on threads of its own
            for (int i = 0; i < queries; i++) {
                String q = question(r);
                long q0 = System.nanoTime();
                embedder.embedQuery(q);
                embedNanos[i] = System.nanoTime() - q0;
            }
            embedCpu = process.getProcessCpuTime() - embedCpu;
            Arrays.sort(embedNanos);
            report.append(String.format(Locale.ROOT, "query embedding alone: p50 %.1f ms, p99 %.1f ms; process CPU "
                            + "%.1f ms per query (mean)%n", embedNanos[queries / 2] / 1e6,
                    embedNanos[p99(queries)] / 1e6, embedCpu / 1e6 / queries));
            report.append(String.format(Locale.ROOT, "query (k=10, hybrid, query embedding included): p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms over %d queries%n", nanos[queries / 2] / 1e6,
                    nanos[p99(queries)] / 1e6,
                    nanos[queries - 1] / 1e6, queries));
            report.append(String.format(Locale.ROOT, "query CPU of the searching thread (the model's own threads "
                    + "not included): p50 %.1f ms, p99 %.1f ms%n", cpuNanos[queries / 2] / 1e6,
                    cpuNanos[p99(queries)] / 1e6));
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return report.toString();
    }
}
