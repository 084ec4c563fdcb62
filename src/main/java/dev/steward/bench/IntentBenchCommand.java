package dev.steward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.Intent;
import dev.steward.agent.IntentClassifier;
import dev.steward.memory.Embedder;
import dev.steward.router.CallContext;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "intents", mixinStandardHelpOptions = true,
        description = {"Offline intent accuracy: classifies each line of a JSONL file {\"text\", \"intent\"} with the "
                + "offline classifier (no language model) and prints the accuracy and the confusion matrix.",
                "",
                "  steward bench intents ../shared/data/intents/dev.jsonl --out predictions.jsonl"})
final class IntentBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Labelled sentences, one JSON object per line.")
    Path file;

    @Option(names = "--out", paramLabel = "FILE", description = "Write {\"text\", \"intent\", \"predicted\"} lines here.")
    Path out;

    @Option(names = "--embedder", paramLabel = "NAME", defaultValue = "minilm",
            description = "The embedding model the neighbours are found with: minilm (the default, as shipped: int8) or "
                    + "e5-small.")
    String embedder;

    @Option(names = "--lexical", description = "The lexical model alone (no embeddings), for comparison.")
    boolean lexical;

    record Row(String text, Intent intent, Intent predicted) {}

    @Override
    public Integer call() throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("no file " + file + "; give a JSONL file of {\"text\", \"intent\"} lines");
        }
        long started = System.nanoTime();
        IntentClassifier classifier = lexical ? IntentClassifier.lexical() : IntentClassifier.offline(Embedder.named(embedder));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode row;
            Intent expected;
            try {
                row = Json.parse(lines.get(i));
                expected = Intent.fromId(row.path("intent").asText());
            } catch (IllegalArgumentException e) {
                throw new UsageException(file + " line " + (i + 1) + ": not a {\"text\", \"intent\"} line with a known "
                        + "intent (" + e.getMessage() + ")");
            }
            String text = row.path("text").asText();
            rows.add(new Row(text, expected, classifier.classify(text, List.of(), CallContext.of("bench"))));
        }
        long total = System.nanoTime() - started;
        if (out != null) {
            try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (Row r : rows) {
                    writer.write(Json.write(Json.object().put("text", r.text()).put("intent", r.intent().id())
                            .put("predicted", r.predicted().id())));
                    writer.newLine();
                }
            }
        }
        System.out.print(report(rows));
        System.out.printf(Locale.ROOT, "time: %.0f ms for %d sentences, including training%s%n", total / 1e6,
                rows.size(), lexical ? "" : ", loading the embedding model and embedding the examples (no cache here)");
        return CommandLine.ExitCode.OK;
    }

    static String report(List<Row> rows) {
        Intent[] intents = Intent.values();
        long[][] matrix = new long[intents.length][intents.length];
        long right = 0;
        for (Row r : rows) {
            matrix[r.intent().ordinal()][r.predicted().ordinal()]++;
            right += r.intent() == r.predicted() ? 1 : 0;
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "accuracy: %.1f%% (%d of %d)%n%n",
                rows.isEmpty() ? 0.0 : 100.0 * right / rows.size(), right, rows.size()));
        text.append(String.format(Locale.ROOT, "%-15s", "true \\ predicted"));
        for (Intent i : intents) {
            text.append(String.format(Locale.ROOT, "%14s", i.id()));
        }
        text.append('\n');
        for (Intent actual : intents) {
            text.append(String.format(Locale.ROOT, "%-15s", actual.id()));
            for (Intent predicted : intents) {
                text.append(String.format(Locale.ROOT, "%14d", matrix[actual.ordinal()][predicted.ordinal()]));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
