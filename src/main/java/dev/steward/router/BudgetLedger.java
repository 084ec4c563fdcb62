package dev.steward.router;

import java.util.List;

/**
 * Where budget windows are counted when several processes spend from them at once (nodes on one PostgreSQL): a
 * shared place that admits a reservation atomically, so that all of them together cannot pass a limit. Without one,
 * {@link Budgets} counts in this process and re-reads the others' spend every few seconds.
 */
public interface BudgetLedger {
    /**
     * One budget window.
     *
     * @param key         names the scope, period and start (a new period is a new window)
     * @param limitMicros the limit
     * @param seedMicros  what was spent in it before the ledger counted it (from the call log)
     */
    record Window(String key, long limitMicros, long seedMicros) {}

    /** What a window holds now. */
    record Held(long spentMicros, long reservedMicros) {}

    /**
     * Reserves {@code estimateMicros} in every window, or in none: the index of the first window that would pass
     * its limit, or -1 when all of them took it.
     */
    int reserve(List<Window> windows, long estimateMicros);

    /** Replaces a reservation with the real cost in each of these windows; what each holds afterwards, in order. */
    List<Held> settle(List<String> keys, long estimateMicros, long costMicros);

    /** What the window holds now, creating it from its seed if nothing was counted in it yet. */
    Held held(Window window);
}
