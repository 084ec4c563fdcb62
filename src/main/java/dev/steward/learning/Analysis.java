package dev.steward.learning;

import dev.steward.store.Database;
import dev.steward.support.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the history since a time and groups what went wrong: the rows every model call, tool call, task and rating
 * already wrote. Proposing changes from the groups is {@link Proposer}'s job.
 */
final class Analysis {
    /** How many failures with one cause make a group worth a person's attention. */
    static final int REPEATED = 3;
    private static final Pattern CANNOT = Pattern.compile(
            "(?i)\\b(i can(no|')t|i am (not able|unable)|i'm (not able|unable)|i do not have (a|any) tool|"
                    + "i don't have (a|any) tool|no tool (can|could|that))");

    private final Database database;
    private final FeedbackStore feedback;

    Analysis(Database database, FeedbackStore feedback) {
        this.database = database;
        this.feedback = feedback;
    }

    /** The models' calls since {@code since}, one row per call (at most the newest 20,000). */
    List<Call> calls(long since) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT provider, model, outcome, error, latency_ms, cost_micros, task_id FROM model_calls
                        WHERE created_at >= :since ORDER BY created_at DESC LIMIT 20000""")
                .bind("since", since)
                .map((rs, ctx) -> new Call(rs.getString(1) + "/" + rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getString(7)))
                .list());
    }

    record Call(String route, String outcome, String error, long latencyMs, long costMicros, String taskId) {
        boolean failed() {
            return "error".equals(outcome);
        }
    }

    /** Failed model calls grouped by model and class of error, the most frequent first. */
    List<Findings.FailureGroup> modelFailures(List<Call> calls) {
        Map<String, Integer> totals = new LinkedHashMap<>();
        Map<List<String>, List<Call>> groups = new LinkedHashMap<>();
        for (Call c : calls) {
            totals.merge(c.route(), 1, Integer::sum);
            if (c.failed()) {
                groups.computeIfAbsent(List.of(c.route(), errorClass(c.error())), k -> new ArrayList<>()).add(c);
            }
        }
        List<Findings.FailureGroup> out = new ArrayList<>();
        groups.forEach((key, failed) -> out.add(new Findings.FailureGroup("model", key.get(0), key.get(1),
                failed.size(), totals.get(key.get(0)),
                failed.stream().map(Call::error).filter(e -> e != null).distinct().limit(3)
                        .map(e -> Text.abbreviate(e, 160)).toList())));
        out.sort(Comparator.comparingInt(Findings.FailureGroup::count).reversed());
        return out;
    }

    /** Calls, errors, p95 latency and cost per model. */
    List<Findings.ModelCost> models(List<Call> calls) {
        Map<String, List<Call>> byModel = new LinkedHashMap<>();
        calls.forEach(c -> byModel.computeIfAbsent(c.route(), k -> new ArrayList<>()).add(c));
        List<Findings.ModelCost> out = new ArrayList<>();
        byModel.forEach((model, list) -> {
            long[] latencies = list.stream().filter(c -> !c.failed()).mapToLong(Call::latencyMs).sorted().toArray();
            long p95 = latencies.length == 0 ? 0 : latencies[(int) Math.ceil(latencies.length * 0.95) - 1];
            out.add(new Findings.ModelCost(model, list.size(), (int) list.stream().filter(Call::failed).count(), p95,
                    list.stream().mapToLong(Call::costMicros).sum()));
        });
        out.sort(Comparator.comparingLong(Findings.ModelCost::costMicros).reversed());
        return out;
    }

    /** Tool calls that failed, grouped by tool, and tasks that failed, grouped by intent. */
    List<Findings.FailureGroup> toolAndTaskFailures(long since) {
        List<Findings.FailureGroup> out = new ArrayList<>(database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT tool, COUNT(*), SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END), MAX(detail)
                        FROM audit_log WHERE kind = 'tool_call' AND created_at >= :since AND tool IS NOT NULL
                        GROUP BY tool""")
                .bind("since", since)
                .map((rs, ctx) -> new Findings.FailureGroup("tool", rs.getString(1), "failed", rs.getInt(3),
                        rs.getInt(2), rs.getString(4) == null ? List.of() : List.of(Text.abbreviate(rs.getString(4), 160))))
                .list()));
        out.addAll(database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT COALESCE(intent, 'unknown'), COUNT(*), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
                            MAX(CASE WHEN status = 'failed' THEN error END)
                        FROM tasks WHERE created_at >= :since GROUP BY COALESCE(intent, 'unknown')""")
                .bind("since", since)
                .map((rs, ctx) -> new Findings.FailureGroup("intent", rs.getString(1), "task failed", rs.getInt(3),
                        rs.getInt(2), rs.getString(4) == null ? List.of() : List.of(Text.abbreviate(rs.getString(4), 160))))
                .list()));
        out.removeIf(g -> g.count() < REPEATED);
        out.sort(Comparator.comparingInt(Findings.FailureGroup::count).reversed());
        return out;
    }

    /** Tools the model asked for that do not exist, and kinds of request answered with "I can't". */
    List<Gap> gaps(long since) {
        List<Gap> out = new ArrayList<>();
        record Asked(String tool, String input) {}
        List<Asked> unknown = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT a.tool, t.input FROM audit_log a LEFT JOIN tasks t ON t.id = a.task_id
                        WHERE a.outcome = 'unknown_tool' AND a.created_at >= :since ORDER BY a.seq""")
                .bind("since", since).map((rs, ctx) -> new Asked(rs.getString(1), rs.getString(2))).list());
        Map<String, List<Asked>> byTool = new LinkedHashMap<>();
        unknown.forEach(a -> byTool.computeIfAbsent(a.tool(), k -> new ArrayList<>()).add(a));
        byTool.forEach((tool, asked) -> out.add(new Gap(tool, "a tool named " + tool, asked.size(),
                examples(asked.stream().map(Asked::input).toList()), Gap.suggestionFor(tool))));
        record Refused(String input, String answer) {}
        List<Refused> refused = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT input, answer FROM tasks WHERE created_at >= :since AND answer IS NOT NULL""")
                .bind("since", since).map((rs, ctx) -> new Refused(rs.getString(1), rs.getString(2))).list())
                .stream().filter(r -> CANNOT.matcher(r.answer()).find()).toList();
        Map<TaskType, List<Refused>> byType = new LinkedHashMap<>();
        refused.forEach(r -> byType.computeIfAbsent(TaskType.of(r.input()), k -> new ArrayList<>()).add(r));
        byType.forEach((type, list) -> out.add(new Gap("cannot:" + type.id(), type.id() + " requests Steward said it "
                + "cannot do", list.size(), examples(list.stream().map(Refused::input).toList()),
                "a skill for it ('steward skills new NAME') or an MCP server with the tools it needs")));
        out.sort(Comparator.comparingInt(Gap::count).reversed());
        return out;
    }

    private static List<String> examples(List<String> inputs) {
        return inputs.stream().filter(i -> i != null && !i.isBlank()).map(i -> Text.abbreviate(i, 120)).distinct()
                .limit(3).toList();
    }

    /**
     * Ratings per user and kind of task, with the wishes their comments express; a short correction typed right after
     * an answer ("shorter please") counts as a down-rating of that answer with the correction as its comment.
     */
    List<Findings.FeedbackPattern> feedback(long since) {
        record Key(String user, TaskType type) {}
        Map<Key, int[]> counts = new LinkedHashMap<>();
        Map<Key, List<String>> comments = new LinkedHashMap<>();
        Map<Key, List<String>> rated = new LinkedHashMap<>();
        for (FeedbackStore.Rated r : feedback.since(since)) {
            Key key = new Key(r.feedback().userId(), TaskType.of(r.input()));
            counts.computeIfAbsent(key, k -> new int[2])[r.feedback().rating() == Rating.UP ? 0 : 1]++;
            if (r.feedback().rating() == Rating.DOWN && r.feedback().comment() != null) {
                comments.computeIfAbsent(key, k -> new ArrayList<>()).add(r.feedback().comment());
                rated.computeIfAbsent(key, k -> new ArrayList<>()).add(r.feedback().taskId());
            }
        }
        for (Correction c : corrections(since)) {
            Key key = new Key(c.userId(), TaskType.of(c.correctedInput()));
            counts.computeIfAbsent(key, k -> new int[2])[1]++;
            comments.computeIfAbsent(key, k -> new ArrayList<>()).add(c.correction());
            rated.computeIfAbsent(key, k -> new ArrayList<>()).add(c.correctedTaskId());
        }
        List<Findings.FeedbackPattern> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            List<String> said = comments.getOrDefault(key, List.of());
            Set<String> wishes = new LinkedHashSet<>();
            said.forEach(s -> Style.of(s).forEach(w -> wishes.add(w.name().toLowerCase(Locale.ROOT))));
            out.add(new Findings.FeedbackPattern(key.user(), key.type().id(), c[0], c[1], List.copyOf(wishes), said,
                    rated.getOrDefault(key, List.of())));
        });
        return out;
    }

    record Correction(String userId, String correctedTaskId, String correctedInput, String correction) {}

    /** Messages that only corrected the answer before them in the same conversation. */
    private List<Correction> corrections(long since) {
        record Row(String id, String user, String conversation, String input) {}
        List<Row> rows = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id, user_id, conversation_id, input FROM tasks
                        WHERE created_at >= :since AND conversation_id IS NOT NULL ORDER BY conversation_id, created_at""")
                .bind("since", since).map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4))).list());
        List<Correction> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            Row before = rows.get(i - 1);
            Row now = rows.get(i);
            if (now.conversation().equals(before.conversation()) && Style.isCorrection(now.input())) {
                out.add(new Correction(now.user(), before.id(), before.input(), now.input()));
            }
        }
        return out;
    }

    /** The class of a provider's error, from its message: what a person would group failures by. */
    static String errorClass(String error) {
        String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
        if (e.contains("could not connect") || e.contains("cannot connect")) {
            return "unreachable"; // a connect timeout says the server is not there, not that it is slow
        }
        if (e.contains("timed out") || e.contains("timeout") || e.contains("no response from")) {
            return "timeout";
        }
        if (e.contains("401") || e.contains("403") || e.contains("unauthori") || e.contains("api key")) {
            return "auth";
        }
        if (e.contains("429") || e.contains("rate limit")) {
            return "rate_limit";
        }
        if (e.contains("connection refused") || e.contains("unreachable") || e.contains("failed to connect")
                || e.contains("unknown host")) {
            return "unreachable";
        }
        if (e.contains("404") || e.contains("not found") || e.contains("no such model")) {
            return "not_found";
        }
        if (e.matches("(?s).*\\b5\\d\\d\\b.*") || e.contains("server error") || e.contains("overloaded")) {
            return "server_error";
        }
        return "other";
    }
}
