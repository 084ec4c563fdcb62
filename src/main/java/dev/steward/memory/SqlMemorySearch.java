package dev.steward.memory;

import dev.steward.store.Database;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The plain search until the search index lands: documents in a table, found with SQL LIKE on each query term and
 * ranked by how many of the terms they hold (then by recency). Every query is scoped to one user.
 */
public final class SqlMemorySearch implements MemorySearch {
    private static final int CANDIDATES = 500;
    private final Database database;

    public SqlMemorySearch(Database database) {
        this.database = database;
    }

    @Override
    public void upsert(MemoryDocument d) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM memory_documents WHERE user_id = :user AND id = :id")
                    .bind("user", d.userId()).bind("id", d.id()).execute();
            h.createUpdate("""
                            INSERT INTO memory_documents (user_id, id, kind, category, body, body_lower, source_refs,
                                happened_at, confidence)
                            VALUES (:user, :id, :kind, :category, :body, :lower, :refs, :at, :confidence)
                            """)
                    .bind("user", d.userId()).bind("id", d.id()).bind("kind", d.kind()).bind("category", d.category())
                    .bind("body", d.text()).bind("lower", d.text().toLowerCase(Locale.ROOT))
                    .bind("refs", Json.write(d.sourceRefs())).bind("at", d.timestamp())
                    .bind("confidence", d.confidence()).execute();
        });
    }

    @Override
    public void delete(String userId, String id) {
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM memory_documents WHERE user_id = :user AND id = :id")
                .bind("user", userId).bind("id", id).execute());
    }

    @Override
    public void deleteAll(String userId) {
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM memory_documents WHERE user_id = :user")
                .bind("user", userId).execute());
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        List<String> terms = Terms.of(query.text());
        if (terms.isEmpty() || query.k() <= 0) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM memory_documents WHERE user_id = :user AND (");
        for (int i = 0; i < terms.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("body_lower LIKE :t").append(i).append(" ESCAPE '!'");
        }
        sql.append(')');
        if (!query.kinds().isEmpty()) {
            sql.append(" AND kind IN (<kinds>)");
        }
        if (!query.categories().isEmpty()) {
            sql.append(" AND category IN (<categories>)");
        }
        if (query.fromMillis() != null) {
            sql.append(" AND happened_at >= :from");
        }
        if (query.toMillis() != null) {
            sql.append(" AND happened_at < :to");
        }
        sql.append(" ORDER BY happened_at DESC LIMIT ").append(CANDIDATES);
        List<MemoryHit> hits = database.jdbi().withHandle(h -> {
            var q = h.createQuery(sql.toString()).bind("user", query.userId());
            for (int i = 0; i < terms.size(); i++) {
                q.bind("t" + i, "%" + terms.get(i).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            }
            if (!query.kinds().isEmpty()) {
                q.bindList("kinds", List.copyOf(query.kinds()));
            }
            if (!query.categories().isEmpty()) {
                q.bindList("categories", List.copyOf(query.categories()));
            }
            q.bind("from", query.fromMillis()).bind("to", query.toMillis());
            return q.map((rs, ctx) -> {
                MemoryDocument d = new MemoryDocument(rs.getString("id"), rs.getString("user_id"),
                        rs.getString("kind"), rs.getString("category"), rs.getString("body"),
                        refs(rs.getString("source_refs")),
                        rs.getLong("happened_at"), rs.getDouble("confidence"));
                String lower = rs.getString("body_lower");
                long matched = terms.stream().filter(lower::contains).count();
                return new MemoryHit(d, (double) matched / terms.size());
            }).list();
        });
        List<MemoryHit> ranked = new ArrayList<>(hits);
        ranked.sort(Comparator.comparingDouble(MemoryHit::score).reversed()
                .thenComparing(Comparator.comparingLong((MemoryHit hit) -> hit.document().timestamp()).reversed()));
        return List.copyOf(ranked.subList(0, Math.min(query.k(), ranked.size())));
    }

    private static List<String> refs(String json) {
        List<String> refs = new ArrayList<>();
        Json.parse(json).forEach(n -> refs.add(n.asText()));
        return refs;
    }

    @Override
    public void close() {
        // The rows belong to the database, which its owner closes.
    }
}
