package dev.steward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.memory.Embedder;
import dev.steward.memory.MemoryDocument;
import dev.steward.memory.MemoryHit;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.MemoryQuery;
import dev.steward.memory.Ranking;
import dev.steward.support.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recall of the production memory retrieval on LoCoMo conversations (data/locomo/README.md): every turn is stored
 * as a memory through {@link MemoryIndex}, one memory space (user) per conversation, then every question of
 * categories 1–4 is asked and the source dia_ids of what comes back are listed in rank order.
 */
final class LocomoBench {
    private static final Pattern SESSION = Pattern.compile("session_(\\d+)");
    private static final DateTimeFormatter SESSION_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);
    static final String[] CATEGORIES = {"", "multi-hop", "temporal", "open-domain", "single-hop"};

    private final Embedder embedder;
    private final Ranking ranking;
    private final int before;
    private final int after;
    private final int conversationTurns;

    /**
     * @param before, after     how many earlier and later turns of the same session are each turn's context
     * @param conversationTurns how many turns either side of the same session are each turn's conversation (0: none)
     */
    LocomoBench(Embedder embedder, Ranking ranking, int before, int after, int conversationTurns) {
        this.embedder = embedder;
        this.ranking = ranking;
        this.before = before;
        this.after = after;
        this.conversationTurns = conversationTurns;
    }

    record Question(String conversation, String question, int category, List<String> evidence,
                    List<String> retrieved) {
        Question withRetrieved(List<String> ids) {
            return new Question(conversation, question, category, evidence, List.copyOf(ids));
        }

        double recall(int k) {
            Set<String> top = new LinkedHashSet<>(retrieved.subList(0, Math.min(k, retrieved.size())));
            return (double) evidence.stream().filter(top::contains).count() / evidence.size();
        }
    }

    record Result(List<Question> questions, int memories, double ingestSeconds, double querySeconds) {
        double recall(int k, int category) {
            return questions.stream().filter(q -> category == 0 || q.category() == category)
                    .mapToDouble(q -> q.recall(k)).average().orElse(Double.NaN);
        }

        String report() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%d questions, %d memories; ingest %.1f s, queries %.1f s%n",
                    questions.size(), memories, ingestSeconds, querySeconds));
            s.append(String.format(Locale.ROOT, "%-12s %5s %9s %9s %9s%n", "category", "n", "recall@1", "recall@5",
                    "recall@10"));
            for (int c = 0; c <= 4; c++) {
                int category = c;
                long n = questions.stream().filter(q -> category == 0 || q.category() == category).count();
                if (n == 0) {
                    continue;
                }
                s.append(String.format(Locale.ROOT, "%-12s %5d %9.3f %9.3f %9.3f%n",
                        c == 0 ? "all" : c + " " + CATEGORIES[c], n, recall(1, c), recall(5, c), recall(10, c)));
            }
            return s.toString();
        }
    }

    Result run(List<Path> files, int k, Path out) throws IOException {
        return run(files, k, out, Integer.MAX_VALUE);
    }

    /** At most {@code maxQuestions} questions per conversation (all of them in the benchmark). */
    Result run(List<Path> files, int k, Path out, int maxQuestions) throws IOException {
        List<Question> results = new ArrayList<>();
        long[] queryNanos = {0};
        Ingest ingest = ask(files, maxQuestions, (index, asked) -> {
            long q0 = System.nanoTime();
            List<String> retrieved = retrieve(index, asked.space(), asked.question().question(), k);
            queryNanos[0] += System.nanoTime() - q0;
            results.add(asked.question().withRetrieved(retrieved));
        });
        if (out != null) {
            try (BufferedWriter w = Files.newBufferedWriter(out)) {
                for (Question q : results) {
                    w.write(Json.write(q));
                    w.newLine();
                }
            }
        }
        return new Result(results, ingest.memories(), ingest.nanos() / 1e9, queryNanos[0] / 1e9);
    }

    /**
     * Fits the ranking's weights ({@link Ranking.Weights}) to these conversations through the index's own features:
     * first on all conversations but one and tested on that one, for each (the recall to expect on conversations the
     * weights have not seen), then on all of them.
     */
    Fit fit(List<Path> files, int k) throws IOException {
        Map<String, List<RankingFit.Sample>> byConversation = new LinkedHashMap<>();
        ask(files, Integer.MAX_VALUE, (index, asked) -> {
            List<RankingFit.Candidate> weighed = new ArrayList<>();
            index.search(MemoryQuery.of(asked.space(), asked.question().question(), k),
                    (document, features) -> weighed.add(new RankingFit.Candidate(document, features)));
            byConversation.computeIfAbsent(asked.question().conversation(), c -> new ArrayList<>())
                    .add(RankingFit.Sample.of(asked.question(), weighed));
        });
        List<Question> heldOut = new ArrayList<>();
        for (String conversation : byConversation.keySet()) {
            List<RankingFit.Sample> training = byConversation.entrySet().stream()
                    .filter(e -> !e.getKey().equals(conversation)).flatMap(e -> e.getValue().stream()).toList();
            Ranking.Weights weights = RankingFit.fit(training);
            byConversation.get(conversation).forEach(s -> heldOut.add(s.ranked(weights)));
        }
        Ranking.Weights all = RankingFit.fit(byConversation.values().stream().flatMap(List::stream).toList());
        return new Fit(new Result(heldOut, 0, 0, 0), all);
    }

    record Fit(Result heldOut, Ranking.Weights weights) {
        String report() {
            return "Recall with weights fitted on the other conversations:\n" + heldOut.report().lines().skip(1)
                    .collect(Collectors.joining("\n", "", "\n"))
                    + String.format(Locale.ROOT, "Fitted on all: --weights %.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f%n",
                    weights.textWords(), weights.contextWords(), weights.textMeaning(), weights.textCosine(),
                    weights.contextMeaning(), weights.speakerNamed(), weights.conversationWords(), weights.secondHop(), weights.bias());
        }
    }

    private record Asked(String space, Question question) {}

    private record Ingest(int memories, long nanos) {}

    private interface Asker {
        void ask(MemoryIndex index, Asked asked) throws IOException;
    }

    /** Stores each conversation in a fresh index, then puts each of its questions of categories 1–4 to the asker. */
    private Ingest ask(List<Path> files, int maxQuestions, Asker asker) throws IOException {
        Path dir = Files.createTempDirectory("steward-locomo-");
        int memories = 0;
        long ingestNanos = 0;
        try (MemoryIndex index = new MemoryIndex(dir, embedder, ranking, Clock.systemUTC())) {
            for (Path file : files) {
                JsonNode conversation = Json.mapper().readTree(file.toFile());
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                String space = "locomo-" + name;
                List<MemoryDocument> docs = memories(space, conversation);
                long t0 = System.nanoTime();
                index.upsertAll(docs);
                if (ranking.semantic()) {
                    index.embedPending(docs.size());
                }
                ingestNanos += System.nanoTime() - t0;
                memories += docs.size();
                int asked = 0;
                for (JsonNode qa : conversation.path("qa")) {
                    int category = qa.path("category").asInt();
                    List<String> evidence = new ArrayList<>();
                    qa.path("evidence").forEach(e -> evidence.add(e.asText()));
                    if (category < 1 || category > 4 || evidence.isEmpty() || asked++ >= maxQuestions) {
                        continue;
                    }
                    asker.ask(index, new Asked(space, new Question(name, qa.path("question").asText(), category,
                            List.copyOf(evidence), List.of())));
                }
                index.deleteAll(space);
            }
        } finally {
            deleteTree(dir);
        }
        return new Ingest(memories, ingestNanos);
    }

    /**
     * The source ids of the best memories, in rank order, each once; within a memory, in the order the search gives
     * (the turn it most likely matched first); at least k of them when there are.
     */
    static List<String> retrieve(MemoryIndex index, String space, String question, int k) {
        Set<String> ids = new LinkedHashSet<>();
        for (MemoryHit hit : index.search(MemoryQuery.of(space, question, k))) {
            ids.addAll(hit.sources());
        }
        return List.copyOf(ids);
    }

    /**
     * One memory per turn: its text is what was said, its speaker who said it, its source its dia_id, and its context
     * the session's date with the turns around it, in the order they were said.
     */
    List<MemoryDocument> memories(String space, JsonNode conversation) {
        Map<Integer, String> sessions = new TreeMap<>();
        conversation.fieldNames().forEachRemaining(f -> {
            Matcher m = SESSION.matcher(f);
            if (m.matches()) {
                sessions.put(Integer.parseInt(m.group(1)), f);
            }
        });
        List<MemoryDocument> docs = new ArrayList<>();
        for (Map.Entry<Integer, String> session : sessions.entrySet()) {
            String when = conversation.path(session.getValue() + "_date_time").asText("");
            long time = parseTime(when);
            List<JsonNode> turns = new ArrayList<>();
            conversation.path(session.getValue()).forEach(turns::add);
            for (int i = 0; i < turns.size(); i++) {
                JsonNode turn = turns.get(i);
                String id = turn.path("dia_id").asText();
                docs.add(new MemoryDocument(id, space, "turn", null, said(turn), List.of(id), time, 1.0,
                        turn.path("speaker").asText(null), around(when, turns, i - before, i + after),
                        conversationTurns == 0 ? null
                                : around(when, turns, i - conversationTurns, i + conversationTurns)));
            }
        }
        return docs;
    }

    /** The session's date, then its turns from {@code first} to {@code last} (clipped), in the order they were said. */
    private static String around(String when, List<JsonNode> turns, int first, int last) {
        List<String> lines = new ArrayList<>(List.of(when));
        for (int j = Math.max(0, first); j <= Math.min(turns.size() - 1, last); j++) {
            lines.add(said(turns.get(j)));
        }
        return String.join("\n", lines).strip();
    }

    private static String said(JsonNode turn) {
        String text = turn.path("speaker").asText() + ": " + turn.path("text").asText();
        String caption = turn.path("blip_caption").asText("");
        return caption.isBlank() ? text : text + " [shares a photo: " + caption + "]";
    }

    static long parseTime(String when) {
        try {
            return LocalDateTime.parse(when.strip(), SESSION_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException unparsable) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static Map<String, Double> summary(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k : new int[] {1, 5, 10}) {
            m.put("recall@" + k, r.recall(k, 0));
        }
        return m;
    }
}
