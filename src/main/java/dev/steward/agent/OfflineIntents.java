package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.memory.Embedder;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies with no language model, from labelled examples ({@value #EXAMPLES}): a message that is one of the
 * examples gets its label, and a naive Bayes model over words and word pairs answers when it is sure (greetings,
 * "remember that …": no embedding model loads for them);
 * otherwise the message is embedded and its nearest examples vote, their similarity weighted, with the lexical
 * model's odds as a tie-breaker.
 */
final class OfflineIntents implements IntentClassifier {
    static final String EXAMPLES = "intents.jsonl";
    /** The lexical model's probability above which its answer stands without embeddings. */
    static final double SURE = 0.95;
    /** Nearest examples per intent whose similarity counts. */
    static final int NEIGHBOURS = 8;
    /** Weight of the lexical model's probability next to the neighbours' similarity. */
    static final double LEXICAL_WEIGHT = 0.10;

    record Example(String text, Intent intent) {}

    /** What a classification was based on, for the bench and for tests. */
    record Decision(Intent intent, double lexicalProbability, boolean embedded) {}

    private final List<Example> examples;
    private final Embedder embedder;
    private final NaiveBayes lexical;
    /** The examples by their normalised text: an exact match needs no model at all. */
    private final Map<String, Intent> known = new HashMap<>();
    private volatile List<float[]> vectors;
    private java.nio.file.Path cacheDir;

    private OfflineIntents(List<Example> examples, Embedder embedder) {
        this.examples = List.copyOf(examples);
        this.embedder = embedder;
        this.lexical = new NaiveBayes(examples);
        examples.forEach(e -> known.putIfAbsent(normalised(e.text()), e.intent()));
    }

    private static String normalised(String text) {
        return String.join(" ", NaiveBayes.words(text));
    }

    static OfflineIntents lexicalOnly() {
        return new OfflineIntents(builtinExamples(), null);
    }

    static OfflineIntents withEmbedder(Embedder embedder) {
        return new OfflineIntents(builtinExamples(), embedder);
    }

    /** As {@link #withEmbedder}, keeping the examples' vectors in {@code cacheDir} so only the first run embeds them. */
    static OfflineIntents withEmbedder(Embedder embedder, java.nio.file.Path cacheDir) {
        OfflineIntents intents = new OfflineIntents(builtinExamples(), embedder);
        intents.cacheDir = cacheDir;
        return intents;
    }

    @Override
    public Intent classify(String text, List<ChatMessage> history, CallContext context) {
        return decide(text).intent();
    }

    Decision decide(String text) {
        Intent seen = known.get(normalised(text));
        if (seen != null) {
            return new Decision(seen, 1.0, false);
        }
        Map<Intent, Double> odds = lexical.probabilities(text);
        Intent best = argmax(odds);
        if (embedder == null || odds.get(best) >= SURE) {
            return new Decision(best, odds.get(best), false);
        }
        float[] query = embedder.embed(text);
        List<float[]> known = vectors();
        Map<Intent, List<Double>> similar = new EnumMap<>(Intent.class);
        for (int i = 0; i < known.size(); i++) {
            similar.computeIfAbsent(examples.get(i).intent(), k -> new ArrayList<>()).add(dot(query, known.get(i)));
        }
        Map<Intent, Double> score = new EnumMap<>(Intent.class);
        similar.forEach((intent, sims) -> {
            List<Double> top = sims.stream().sorted((a, b) -> Double.compare(b, a)).limit(NEIGHBOURS).toList();
            double mean = top.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            score.put(intent, mean + LEXICAL_WEIGHT * odds.getOrDefault(intent, 0.0));
        });
        return new Decision(argmax(score), odds.get(best), true);
    }

    private List<float[]> vectors() {
        List<float[]> v = vectors;
        if (v == null) {
            synchronized (this) {
                if (vectors == null) {
                    vectors = cacheDir == null ? embedAll() : VectorCache.load(cacheDir, cacheKey(), examples.size(),
                            embedder.dimension(), this::embedAll);
                }
                v = vectors;
            }
        }
        return v;
    }

    private List<float[]> embedAll() {
        return embedder.embedAll(examples.stream().map(Example::text).toList());
    }

    /** Names the examples and the embedder: a changed example or model never reads stale vectors. */
    private String cacheKey() {
        StringBuilder all = new StringBuilder(embedder.getClass().getName()).append(embedder.dimension());
        examples.forEach(e -> all.append('\n').append(e.intent().id()).append('\t').append(e.text()));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8));
            return "intent-vectors-" + java.util.HexFormat.of().formatHex(digest, 0, 8) + ".bin";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static Intent argmax(Map<Intent, Double> scores) {
        return scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static List<Example> builtinExamples() {
        try (InputStream in = OfflineIntents.class.getResourceAsStream(EXAMPLES)) {
            if (in == null) {
                throw new IllegalStateException("the intent examples " + EXAMPLES + " are missing from the build");
            }
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines {@code {"text": …, "intent": …}}; blank lines are skipped. */
    static List<Example> read(BufferedReader lines) throws IOException {
        List<Example> read = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
            if (!line.isBlank()) {
                JsonNode row = Json.parse(line);
                read.add(new Example(row.path("text").asText(), Intent.fromId(row.path("intent").asText())));
            }
        }
        return read;
    }

    /** Multinomial naive Bayes over words and word pairs, with add-one smoothing. */
    static final class NaiveBayes {
        private final Map<Intent, Map<String, Integer>> counts = new EnumMap<>(Intent.class);
        private final Map<Intent, Integer> totals = new EnumMap<>(Intent.class);
        private final Map<Intent, Double> priors = new EnumMap<>(Intent.class);
        private final java.util.Set<String> vocabulary = new java.util.HashSet<>();

        NaiveBayes(List<Example> examples) {
            Map<Intent, Integer> docs = new EnumMap<>(Intent.class);
            for (Example e : examples) {
                docs.merge(e.intent(), 1, Integer::sum);
                Map<String, Integer> c = counts.computeIfAbsent(e.intent(), k -> new HashMap<>());
                for (String f : features(e.text())) {
                    c.merge(f, 1, Integer::sum);
                    totals.merge(e.intent(), 1, Integer::sum);
                    vocabulary.add(f);
                }
            }
            docs.forEach((intent, n) -> priors.put(intent, Math.log(n / (double) examples.size())));
        }

        Map<Intent, Double> probabilities(String text) {
            List<String> features = features(text);
            Map<Intent, Double> log = new EnumMap<>(Intent.class);
            for (Intent intent : counts.keySet()) {
                double sum = priors.get(intent);
                Map<String, Integer> c = counts.get(intent);
                double denominator = totals.getOrDefault(intent, 0) + vocabulary.size();
                for (String f : features) {
                    if (vocabulary.contains(f)) {
                        sum += Math.log((c.getOrDefault(f, 0) + 1) / denominator);
                    }
                }
                log.put(intent, sum);
            }
            double max = log.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double norm = log.values().stream().mapToDouble(v -> Math.exp(v - max)).sum();
            Map<Intent, Double> p = new EnumMap<>(Intent.class);
            log.forEach((intent, v) -> p.put(intent, Math.exp(v - max) / norm));
            return p;
        }

        static List<String> words(String text) {
            return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).replace("'", "").split("[^\\p{L}\\p{N}@]+"))
                    .filter(w -> !w.isEmpty()).toList();
        }

        static List<String> features(String text) {
            List<String> features = new ArrayList<>();
            String previous = "^";
            for (String w : words(text)) {
                features.add(w);
                features.add(previous + " " + w);
                previous = w;
            }
            features.add(previous + " $");
            if (text.strip().endsWith("?")) {
                features.add("?");
            }
            return features;
        }
    }
}
