package dev.steward.bench;

import dev.steward.config.SemanticCacheConfig;
import dev.steward.memory.Embedder;
import dev.steward.router.AnswerCache;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.SemanticCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hit rate and false hits of the semantic cache on the paraphrase set (src/test/resources/bench/paraphrases.tsv),
 * with the production embedder, at several similarity thresholds. Every first question is answered and cached in one
 * context; then every later question is looked up. A "same" pair should hit its own answer; any other hit is false.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/classpath) dev.steward.bench.SemanticCacheBench</pre>
 */
public final class SemanticCacheBench {
    private static final String ROUTE = "bench/model";

    record Pair(boolean same, String first, String second) {}

    public static void main(String[] args) throws IOException {
        List<Pair> pairs = load();
        Embedder model = Embedder.production();
        Map<String, float[]> vectors = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        for (Pair p : pairs) {
            vectors.computeIfAbsent(p.first(), model::embedQuery);
            vectors.computeIfAbsent(p.second(), model::embedQuery);
        }
        System.out.printf("embedded %d questions in %.1f s (model load included)%n", vectors.size(),
                (System.nanoTime() - started) / 1e9);
        long same = pairs.stream().filter(Pair::same).count();
        long different = pairs.size() - same;
        System.out.println("similarity  right hits (of " + same + " paraphrases)  false hits on paraphrases"
                + "  false hits (of " + different + " different questions)");
        for (double threshold : args.length > 0 ? parse(args) : new double[]{0.90, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97}) {
            SemanticCache cache = new SemanticCache(new SemanticCacheConfig(List.of(ROUTE), threshold, null, null, null),
                    vectors::get, Clock.systemUTC());
            pairs.stream().map(Pair::first).distinct().forEach(q ->
                    cache.store(ask(q), ROUTE, "u", new ChatResponse(answer(q), null, null, null, null), ROUTE));
            int right = 0;
            int wrongOnSame = 0;
            int falseOnDifferent = 0;
            for (Pair p : pairs) {
                Optional<AnswerCache.Hit> hit = cache.lookup(ask(p.second()), ROUTE, "u");
                if (hit.isEmpty()) {
                    continue;
                }
                boolean own = hit.get().response().text().equals(answer(p.first()));
                if (p.same() && own) {
                    right++;
                } else if (p.same()) {
                    wrongOnSame++;
                } else {
                    falseOnDifferent++;
                }
            }
            System.out.printf("%.2f        %2d (%3.0f %%)                       %2d                        %2d (%3.0f %%)%n",
                    threshold, right, 100.0 * right / same, wrongOnSame, falseOnDifferent,
                    100.0 * falseOnDifferent / different);
        }
        System.out.println("cosines (same | different), pair by pair:");
        for (Pair p : pairs) {
            System.out.printf("%s %.4f  %s | %s%n", p.same() ? "same" : "diff",
                    cosine(vectors.get(p.first()), vectors.get(p.second())), p.first(), p.second());
        }
    }

    private static ChatRequest ask(String question) {
        return new ChatRequest(List.of(ChatMessage.system("You are helpful."), ChatMessage.user(question)), List.of(),
                ROUTE, 0.0, null, false);
    }

    private static String answer(String question) {
        return "answer to: " + question;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    private static double[] parse(String[] args) {
        double[] out = new double[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = Double.parseDouble(args[i]);
        }
        return out;
    }

    static List<Pair> load() throws IOException {
        try (InputStream in = SemanticCacheBench.class.getResourceAsStream("/bench/paraphrases.tsv")) {
            List<Pair> pairs = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                pairs.add(new Pair(f[0].equals("same"), f[1], f[2]));
            }
            return pairs;
        }
    }
}
