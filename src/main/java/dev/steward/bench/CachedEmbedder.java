package dev.steward.bench;

import dev.steward.memory.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For benchmarks that compare rankings: an embedder that keeps every vector it computed in a file, so that the next
 * run over the same texts does not run the model again. The vectors are the model's own; only the time differs, so
 * a run that measures ingest speed must not use it.
 */
final class CachedEmbedder implements Embedder {
    private final Embedder model;
    private final Path file;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

    CachedEmbedder(Embedder model, Path dir) {
        this.model = model;
        this.file = dir.resolve(model.name() + ".vectors");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedding cache's directory " + dir, e);
        }
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    String text = in.readUTF();
                    float[] v = new float[model.dimension()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                    vectors.put(text, v);
                }
            } catch (EOFException end) {
                // all read
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding cache " + file, e);
            }
        }
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    @Override
    public float[] embedQuery(String text) {
        return vectors.computeIfAbsent("\u0000query\u0000" + text, q -> save(q, model.embedQuery(text)));
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<String> missing = texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList();
        if (!missing.isEmpty()) {
            List<float[]> computed = model.embedAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(missing.get(i), save(missing.get(i), computed.get(i)));
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(vectors.get(t)));
        return out;
    }

    private synchronized float[] save(String text, float[] v) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
            out.writeUTF(text);
            for (float f : v) {
                out.writeFloat(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
        return v;
    }
}
