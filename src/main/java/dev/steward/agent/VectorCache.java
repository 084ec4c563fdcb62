package dev.steward.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Vectors kept in a file, so that embedding a few hundred examples (seconds on a laptop) happens once per home.
 * A file that cannot be read or has the wrong shape is recomputed; one that cannot be written is skipped.
 */
final class VectorCache {
    private VectorCache() {}

    static List<float[]> load(Path dir, String name, int count, int dimension, Supplier<List<float[]>> compute) {
        Path file = dir.resolve(name);
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readInt() == count && in.readInt() == dimension) {
                List<float[]> vectors = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    float[] v = new float[dimension];
                    for (int j = 0; j < dimension; j++) {
                        v[j] = in.readFloat();
                    }
                    vectors.add(v);
                }
                return vectors;
            }
        } catch (IOException missingOrDamaged) {
            // Computed below.
        }
        List<float[]> vectors = compute.get();
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, name, ".part");
            try (OutputStream raw = Files.newOutputStream(partial);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw))) {
                out.writeInt(vectors.size());
                out.writeInt(dimension);
                for (float[] v : vectors) {
                    for (float f : v) {
                        out.writeFloat(f);
                    }
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException readOnlyHome) {
            // Next time computes them again.
        }
        return vectors;
    }
}
