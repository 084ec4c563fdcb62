package dev.steward.app;

import dev.steward.memory.Embedder;
import dev.steward.memory.Ranking;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Development aid, off by default: compares ranking settings on LoCoMo with cached embeddings. */
@EnabledIfSystemProperty(named = "locomo.tune", matches = "true")
class LocomoTuning {
    static final class Caching implements Embedder {
        final Embedder inner = Embedder.miniLm();
        final Map<String, float[]> cache = new ConcurrentHashMap<>();
        public int dimension() { return inner.dimension(); }
        public float[] embed(String t) { return cache.computeIfAbsent(t, inner::embed); }
        public List<float[]> embedAll(List<String> texts) {
            List<String> missing = texts.stream().filter(t -> !cache.containsKey(t)).distinct().toList();
            List<float[]> v = inner.embedAll(missing);
            for (int i = 0; i < missing.size(); i++) cache.put(missing.get(i), v.get(i));
            return texts.stream().map(cache::get).toList();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void compare() throws Exception {
        Path cacheFile = Path.of("/tmp/locomo-emb.ser");
        Caching emb = new Caching();
        if (Files.exists(cacheFile)) {
            try (var in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(cacheFile)))) {
                emb.cache.putAll((Map<String, float[]>) in.readObject());
            }
        }
        Path d = Path.of(System.getProperty("locomo.dir", "/work/shared/data/locomo"));
        List<Path> files = List.of(d.resolve("26.json"), d.resolve("30.json"), d.resolve("41.json"));
        StringBuilder out = new StringBuilder();
        for (String spec : System.getProperty("locomo.configs", "1:RECIPROCAL_RANK:0.5:0.2").split(",")) {
            String[] p = spec.split(":");
            Ranking r = Ranking.defaults().withFusion(Ranking.Fusion.valueOf(p[1]), Double.parseDouble(p[2]))
                    .withRecencyWeight(0).withMinSimilarity(Double.parseDouble(p[3]))
                    .withExpansionTerms(p.length > 5 ? Integer.parseInt(p[5]) : 0);
            var res = new LocomoBench(emb, r, Integer.parseInt(p[0]), p.length > 4 ? Integer.parseInt(p[4]) : 0).run(files, 10, Path.of("/tmp/tune-" + spec.replace(":", "_") + ".jsonl"));
            out.append(spec).append(String.format(Locale.ROOT, "  r1 %.3f r5 %.3f r10 %.3f | c1 %.3f c2 %.3f c3 %.3f c4 %.3f (r10)%n",
                    res.recall(1, 0), res.recall(5, 0), res.recall(10, 0), res.recall(10, 1), res.recall(10, 2),
                    res.recall(10, 3), res.recall(10, 4)));
            try (var o = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(cacheFile)))) {
                o.writeObject(new HashMap<>(emb.cache));
            }
            System.err.print(out);
        }
        Files.writeString(Path.of("/tmp/locomo-tuning.txt"), out);
    }
}
