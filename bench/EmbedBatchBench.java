import dev.steward.memory.Embedder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU per text of the production embedder (e5-small-v2) by batch size: the case for batching concurrent queries
 * (memory.MicroBatcher) and the background embedder's chunks. Distinct chat-like questions; process CPU time, so
 * ONNX Runtime's own threads count. Run: java -cp target/steward.jar bench/EmbedBatchBench.java [texts per size]
 */
public class EmbedBatchBench {
    private static final String[] TOPICS = {"Lighthouse", "Harbor", "Beacon", "Compass", "Anchor", "Meridian"};
    private static int asked;

    private static String nextQuestion() {
        asked++;
        return "what is the status of milestone " + asked + " of " + TOPICS[asked % 6] + " for team "
                + (asked * 7919 % 1_000_000) + "?";
    }

    public static void main(String[] args) {
        int texts = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        Embedder embedder = Embedder.e5Small();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("e5-small-v2, %d distinct questions per batch size, load %.1f%n", texts,
                os.getSystemLoadAverage());
        for (int round = 1; round <= 2; round++) { // the first round also warms up
            for (int size : new int[] {1, 2, 4, 8, 16}) {
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                for (int done = 0; done < texts; done += size) {
                    List<String> batch = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        batch.add(nextQuestion());
                    }
                    if (size == 1) {
                        embedder.embed(batch.getFirst());
                    } else {
                        embedder.embedAll(batch);
                    }
                }
                System.out.printf("round %d  batch %2d  CPU %5.2f ms per text  wall %5.2f ms per text%n", round, size,
                        (os.getProcessCpuTime() - cpu) / 1e6 / texts, (System.nanoTime() - wall) / 1e6 / texts);
            }
        }
        embedder.close();
    }
}
