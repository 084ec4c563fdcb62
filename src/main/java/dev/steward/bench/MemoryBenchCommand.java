package dev.steward.bench;

import dev.steward.memory.Embedder;
import dev.steward.memory.Ranking;
import dev.steward.support.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Memory retrieval: recall@k on LoCoMo conversations, or ingest rate and query latency on "
                + "synthetic memories.",
                "",
                "  steward bench memory --locomo data/locomo/*.json --k 10 --out results.jsonl",
                "  steward bench memory --synthetic 100000"})
final class MemoryBenchCommand implements Callable<Integer> {
    @Option(names = "--locomo", arity = "1..*", paramLabel = "FILE", description = "LoCoMo conversation files.")
    List<Path> locomo = List.of();

    @Option(names = "--k", defaultValue = "10", description = "Ids to list per question (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--out", paramLabel = "FILE", description = "Write one JSON line per question here.")
    Path out;

    @Option(names = "--synthetic", paramLabel = "N", description = "Ingest N synthetic memories for one user, then "
            + "time queries.")
    int synthetic;

    @Option(names = "--queries", defaultValue = "500", description = "Queries to time with --synthetic "
            + "(default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--embedder", description = "e5-small, minilm or hashing (no meaning; isolates the index's "
            + "cost); default: production's.")
    String embedder;

    @Option(names = "--embedding-cache", paramLabel = "DIR", description = "LoCoMo: keep the vectors in DIR and "
            + "reuse them in the next run (compares rankings faster; do not use it to time ingest).")
    Path embeddingCache;

    @Option(names = "--words-only", description = "Rank by words alone, as short offline commands do "
            + "(no vectors).")
    boolean wordsOnly;

    @Option(names = "--candidates", description = "Candidates each of the four lists contributes, at least "
            + "(default: production's).")
    Integer candidates;

    @Option(names = "--weights", split = ",", paramLabel = "W", description = "LoCoMo: the ranking's nine weights "
            + "(text words, context words, text meaning, text cosine, context meaning, speaker named, conversation "
            + "words, second hop, bias) instead "
            + "of the fitted ones.")
    double[] weights;

    @Option(names = "--fit", description = "LoCoMo: fit the ranking's weights to these conversations: prints the "
            + "recall of weights fitted on the other conversations, then the weights fitted on all.")
    boolean fit;

    @Option(names = "--min-similarity", description = "Nearest neighbours below this cosine are not candidates "
            + "(default: production's).")
    Double minSimilarity;

    @Option(names = "--window", defaultValue = "1", description = "LoCoMo: earlier turns of the same session "
            + "in each turn's context (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--after", defaultValue = "1", description = "LoCoMo: later turns of the same session "
            + "in each turn's context (default ${DEFAULT-VALUE}).")
    int after;

    @Option(names = "--conversation", defaultValue = "4", description = "LoCoMo: turns of the same session either "
            + "side in each turn's conversation, searched by words only (0: none; default ${DEFAULT-VALUE}).")
    int conversation;

    @Override
    public Integer call() throws Exception {
        Embedder e;
        try {
            e = embedder == null ? Embedder.production() : Embedder.named(embedder);
        } catch (IllegalArgumentException unknown) {
            throw new UsageException("--embedder: " + unknown.getMessage());
        }
        Ranking production = Ranking.defaultsFor(e);
        if (wordsOnly) {
            production = production.wordsOnly();
        }
        if (weights != null) {
            try {
                production = production.withWeights(Ranking.Weights.of(weights));
            } catch (IllegalArgumentException wrong) {
                throw new UsageException("--weights: " + wrong.getMessage());
            }
        }
        if (minSimilarity != null) {
            production = production.withMinSimilarity(minSimilarity);
        }
        if (candidates != null) {
            production = production.withCandidates(candidates);
        }
        if (fit && locomo.size() < 2) {
            throw new UsageException("--fit needs two or more --locomo conversations: it fits the weights on all but "
                    + "one and measures them on that one");
        }
        if (!locomo.isEmpty()) {
            // LoCoMo is one frozen conversation: how old a turn is says nothing about it, so recency is off.
            Embedder vectors = embeddingCache == null ? e : new CachedEmbedder(e, embeddingCache);
            // The benchmark lists at least k ids per question, so nothing is left out by probability: the floor
            // only shortens the list (32 of the 383 questions get fewer than 10 ids; recall is the same).
            LocomoBench bench = new LocomoBench(vectors, production.withRecencyWeight(0).withMinProbability(0),
                    window, after, conversation);
            System.out.print(fit ? bench.fit(locomo, k).report() : bench.run(locomo, k, out).report());
        }
        if (synthetic > 0) {
            System.out.print(new SyntheticBench(e, production).run(synthetic, queries));
        }
        if (locomo.isEmpty() && synthetic <= 0) {
            throw new UsageException("give --locomo FILE… or --synthetic N");
        }
        return CommandLine.ExitCode.OK;
    }
}
