package dev.steward.app;

import dev.steward.memory.Embedder;
import dev.steward.memory.Ranking;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--embedder", description = "minilm, bge-small or hashing (no meaning; isolates the index's "
            + "cost); default: production's.")
    String embedder;

    @Option(names = "--embedding-cache", paramLabel = "DIR", description = "LoCoMo: keep the vectors in DIR and "
            + "reuse them in the next run (compares rankings faster; do not use it to time ingest).")
    Path embeddingCache;

    @Option(names = "--fusion", description = "RECIPROCAL_RANK or SCORE_MIX (default: production's).")
    Ranking.Fusion fusion;

    @Option(names = "--lexical-weight", description = "Share of BM25 in the fusion, 0..1 "
            + "(1: lexical only, 0: semantic only; default: production's).")
    Double lexicalWeight;

    @Option(names = "--candidates", description = "Candidates each of the lexical and the semantic list "
            + "contributes, at least (default: production's).")
    Integer candidates;

    @Option(names = "--expansion-terms", description = "Pseudo-relevance feedback terms (default: production's).")
    Integer expansionTerms;

    @Option(names = "--min-similarity", description = "Drop semantic candidates below this cosine "
            + "(default: production's).")
    Double minSimilarity;

    @Option(names = "--window", defaultValue = "1", description = "LoCoMo: earlier turns of the same session "
            + "stored with each turn as its context (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--after", defaultValue = "1", description = "LoCoMo: later turns of the same session "
            + "stored with each turn as its context (default ${DEFAULT-VALUE}).")
    int after;

    @Override
    public Integer call() throws Exception {
        Embedder e;
        try {
            e = embedder == null ? Embedder.production() : Embedder.named(embedder);
        } catch (IllegalArgumentException unknown) {
            throw new UsageException("--embedder: " + unknown.getMessage());
        }
        Ranking production = Ranking.defaultsFor(e);
        if (fusion != null || lexicalWeight != null) {
            production = production.withFusion(fusion == null ? production.fusion() : fusion,
                    lexicalWeight == null ? production.lexicalWeight() : lexicalWeight);
        }
        if (minSimilarity != null) {
            production = production.withMinSimilarity(minSimilarity);
        }
        if (candidates != null) {
            production = production.withCandidates(candidates);
        }
        if (expansionTerms != null) {
            production = production.withExpansionTerms(expansionTerms);
        }
        if (!locomo.isEmpty()) {
            // LoCoMo is one frozen conversation: how old a turn is says nothing about it, so recency is off.
            Embedder vectors = embeddingCache == null ? e : new CachedEmbedder(e, embeddingCache);
            LocomoBench.Result result = new LocomoBench(vectors, production.withRecencyWeight(0), window, after)
                    .run(locomo, k, out);
            System.out.print(result.report());
        }
        if (synthetic > 0) {
            System.out.print(new SyntheticBench(e, production).run(synthetic, queries));
        }
        if (locomo.isEmpty() && synthetic <= 0) {
            throw new UsageException("give --locomo FILE… or --synthetic N");
        }
        return Main.OK;
    }
}
