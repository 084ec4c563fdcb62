package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.PrivacyFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The append-only audit log: one row per tool call, approval decision, policy denial and configuration change.
 * Each row carries the SHA-256 of the previous row's hash and its own canonical form, so {@link #verify} finds
 * any row edited, inserted or deleted after the fact (except the newest rows cut off together; see docs/actions.md).
 */
public final class AuditLog {
    static final String GENESIS = "0".repeat(64);
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(pass(word|wd)?|secret|token|api[_-]?key|authorization|cookie|credential|private[_-]?key).*");
    private static final int MAX_TEXT = 2000;

    /** One row. {@code arguments} is JSON with secrets redacted. */
    public record Entry(long seq, long createdAt, String userId, String kind, String tool, String arguments,
                        String outcome, String detail, long costMicros, String taskId, String approvalId,
                        String prevHash, String hash) {}

    /** Filters for {@link #list}; null means any. */
    public record Filter(String userId, String tool, String outcome, Long since, Long until, int limit) {}

    /** The result of {@link #verify}: the rows checked, and the first bad one if any. */
    public record Verification(long rows, Long badSeq, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final Database database;
    private final Clock clock;

    public AuditLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Appends one row under a write transaction that assigns its sequence number and chains its hash. */
    public Entry append(String userId, String kind, String tool, JsonNode arguments, String outcome, String detail,
                        long costMicros, String taskId, String approvalId) {
        String args = arguments == null ? null : Json.write(redact(arguments));
        String boundedDetail = detail == null || detail.length() <= MAX_TEXT ? detail : detail.substring(0, MAX_TEXT) + "…";
        return database.jdbi().inTransaction(h -> {
            if (database.dialect() == Database.Dialect.POSTGRESQL) {
                h.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE");
            }
            Optional<Map<String, Object>> last = h.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .mapToMap().findOne();
            long seq = last.map(r -> ((Number) r.get("seq")).longValue() + 1).orElse(1L);
            String prev = last.map(r -> (String) r.get("hash")).orElse(GENESIS);
            Entry unsigned = new Entry(seq, clock.millis(), userId, kind, tool, args, outcome, boundedDetail,
                    costMicros, taskId, approvalId, prev, null);
            Entry entry = withHash(unsigned, hash(unsigned));
            h.createUpdate("""
                            INSERT INTO audit_log (seq, created_at, user_id, kind, tool, arguments, outcome, detail,
                                cost_micros, task_id, approval_id, prev_hash, hash)
                            VALUES (:seq, :createdAt, :userId, :kind, :tool, :arguments, :outcome, :detail,
                                :costMicros, :taskId, :approvalId, :prevHash, :hash)""")
                    .bindMethods(entry).execute();
            return entry;
        });
    }

    private static Entry withHash(Entry e, String hash) {
        return new Entry(e.seq(), e.createdAt(), e.userId(), e.kind(), e.tool(), e.arguments(), e.outcome(), e.detail(),
                e.costMicros(), e.taskId(), e.approvalId(), e.prevHash(), hash);
    }

    /** SHA-256 over the previous hash and the row's fields as a JSON array: one canonical form, no ambiguity. */
    static String hash(Entry e) {
        ArrayNode canonical = Json.mapper().createArrayNode()
                .add(e.prevHash()).add(e.seq()).add(e.createdAt()).add(e.userId()).add(e.kind()).add(e.tool())
                .add(e.arguments()).add(e.outcome()).add(e.detail()).add(e.costMicros()).add(e.taskId())
                .add(e.approvalId());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException(e1);
        }
    }

    /** Walks the chain from the first row; the first row whose sequence, link or hash is wrong is named. */
    public Verification verify() {
        return database.jdbi().withHandle(h -> {
            long expectedSeq = 1;
            String prev = GENESIS;
            long rows = 0;
            try (var stream = h.createQuery("SELECT * FROM audit_log ORDER BY seq").map((rs, ctx) -> entry(rs)).stream()) {
                Iterator<Entry> it = stream.iterator();
                while (it.hasNext()) {
                    Entry e = it.next();
                    rows++;
                    if (e.seq() != expectedSeq) {
                        return new Verification(rows, e.seq(), e.seq() > expectedSeq
                                ? "row " + e.seq() + ": expected row " + expectedSeq + " before it; rows were deleted"
                                : "row " + e.seq() + ": out of sequence; a row was inserted");
                    }
                    if (!e.prevHash().equals(prev)) {
                        return new Verification(rows, e.seq(), "row " + e.seq()
                                + ": does not link to the row before it; a row was deleted, inserted or edited");
                    }
                    if (!hash(e).equals(e.hash())) {
                        return new Verification(rows, e.seq(), "row " + e.seq() + ": its content does not match its hash; it was edited");
                    }
                    prev = e.hash();
                    expectedSeq++;
                }
            }
            return new Verification(rows, null, null);
        });
    }

    /** The newest rows first, filtered. */
    public List<Entry> list(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        if (filter.userId() != null) {
            sql.append(" AND user_id = :user");
        }
        if (filter.tool() != null) {
            sql.append(" AND tool = :tool");
        }
        if (filter.outcome() != null) {
            sql.append(" AND outcome = :outcome");
        }
        if (filter.since() != null) {
            sql.append(" AND created_at >= :since");
        }
        if (filter.until() != null) {
            sql.append(" AND created_at < :until");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return database.jdbi().withHandle(h -> h.createQuery(sql.toString())
                .bind("user", filter.userId()).bind("tool", filter.tool()).bind("outcome", filter.outcome())
                .bind("since", filter.since()).bind("until", filter.until()).bind("limit", filter.limit())
                .map((rs, ctx) -> entry(rs)).list());
    }

    /** Records a configuration change: when the fingerprint differs from the last one recorded. */
    public void noteConfiguration(String userId, String fingerprint, String detail) {
        Optional<String> last = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT arguments FROM audit_log WHERE kind = 'config' ORDER BY seq DESC LIMIT 1")
                .mapTo(String.class).findOne());
        ObjectNode args = Json.object().put("fingerprint", fingerprint);
        if (last.isEmpty() || !last.get().equals(Json.write(args))) {
            append(userId, "config", null, args, last.isEmpty() ? "recorded" : "changed", detail, 0, null, null);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("seq"), rs.getLong("created_at"), rs.getString("user_id"), rs.getString("kind"),
                rs.getString("tool"), rs.getString("arguments"), rs.getString("outcome"), rs.getString("detail"),
                rs.getLong("cost_micros"), rs.getString("task_id"), rs.getString("approval_id"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static final PrivacyFilter PRIVACY = new PrivacyFilter();

    /** A copy with the values of secret-looking keys replaced, secrets in texts cut out, and very long texts shortened. */
    static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), SECRET_KEY.matcher(f.getKey()).matches()
                    ? Json.mapper().getNodeFactory().textNode("[redacted]") : redact(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.mapper().createArrayNode();
            node.forEach(item -> copy.add(redact(item)));
            return copy;
        }
        if (node.isTextual()) {
            // Card numbers, ID numbers, passwords and keys inside free text are cut out too.
            String text = PRIVACY.redact(node.asText());
            return Json.mapper().getNodeFactory().textNode(text.length() <= MAX_TEXT ? text
                    : text.substring(0, MAX_TEXT) + "…[" + (text.length() - MAX_TEXT) + " more characters]");
        }
        return node;
    }
}
