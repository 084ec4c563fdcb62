package dev.steward.cluster;

import dev.steward.router.BudgetLedger;
import dev.steward.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Budget windows counted in PostgreSQL ({@code budget_ledger}), shared by every node. A reservation is a conditional
 * UPDATE per window ({@code spent + reserved + estimate <= limit}) in one transaction: the row lock serialises
 * concurrent reservations of all nodes, and a window that says no rolls the others back. Windows are always taken in
 * the same order (global before user, hour before day before month), so two nodes never deadlock on them.
 */
final class SharedBudgets implements BudgetLedger {
    /** Windows untouched for this long (past hours and days) are deleted. */
    static final long FORGET_AFTER_MILLIS = 40L * 24 * 3_600_000L;

    private final Database database;
    private final Clock clock;

    SharedBudgets(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Carries which window refused out of the transaction, which it rolls back. */
    private static final class Refused extends RuntimeException {
        final int index;

        Refused(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    @Override
    public int reserve(List<Window> windows, long estimateMicros) {
        try {
            database.jdbi().useTransaction(h -> {
                long now = clock.millis();
                for (int i = 0; i < windows.size(); i++) {
                    Window w = windows.get(i);
                    ensure(h, w, now);
                    int taken = h.createUpdate("""
                                    UPDATE budget_ledger SET reserved_micros = reserved_micros + :estimate,
                                        limit_micros = :limit, updated_at = :now
                                    WHERE window_key = :key AND spent_micros + reserved_micros + :estimate <= :limit""")
                            .bind("estimate", estimateMicros).bind("limit", w.limitMicros()).bind("now", now)
                            .bind("key", w.key()).execute();
                    if (taken == 0) {
                        throw new Refused(i);
                    }
                }
            });
            return -1;
        } catch (Refused refused) {
            return refused.index;
        }
    }

    @Override
    public List<Held> settle(List<String> keys, long estimateMicros, long costMicros) {
        return database.jdbi().inTransaction(h -> {
            List<Held> held = new ArrayList<>(keys.size());
            for (String key : keys) {
                held.add(h.createQuery("""
                                UPDATE budget_ledger SET reserved_micros = GREATEST(reserved_micros - :estimate, 0),
                                    spent_micros = spent_micros + :cost, updated_at = :now
                                WHERE window_key = :key RETURNING spent_micros, reserved_micros""")
                        .bind("estimate", estimateMicros).bind("cost", costMicros).bind("now", clock.millis())
                        .bind("key", key)
                        .map((rs, ctx) -> new Held(rs.getLong(1), rs.getLong(2)))
                        .findOne().orElse(new Held(0, 0)));
            }
            return held;
        });
    }

    @Override
    public Held held(Window window) {
        return database.jdbi().inTransaction(h -> {
            ensure(h, window, clock.millis());
            return h.createQuery("SELECT spent_micros, reserved_micros FROM budget_ledger WHERE window_key = :key")
                    .bind("key", window.key())
                    .map((rs, ctx) -> new Held(rs.getLong(1), rs.getLong(2))).one();
        });
    }

    /** The first node to count a window seeds it with what the call log already holds for its period. */
    private static void ensure(Handle h, Window w, long now) {
        h.createUpdate("""
                        INSERT INTO budget_ledger (window_key, limit_micros, spent_micros, reserved_micros, updated_at)
                        VALUES (:key, :limit, :seed, 0, :now) ON CONFLICT (window_key) DO NOTHING""")
                .bind("key", w.key()).bind("limit", w.limitMicros()).bind("seed", w.seedMicros()).bind("now", now)
                .execute();
    }

    void forgetOld() {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM budget_ledger WHERE updated_at < ?",
                clock.millis() - FORGET_AFTER_MILLIS));
    }
}
