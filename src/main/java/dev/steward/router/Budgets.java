package dev.steward.router;

import dev.steward.config.BudgetConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dollar budgets per calendar hour, day and month (UTC), for everyone together and for each user.
 *
 * <p>A call first reserves what it may cost at most; the reservation counts against every budget it touches until
 * the call settles with its real cost. Admission, reservation and settlement happen under one lock, so any number
 * of concurrent calls together cannot pass a limit by more than the difference between one call's estimate and its
 * real cost. Spend recorded by other processes is picked up from {@code model_calls} every few seconds.
 */
public final class Budgets {
    private final BudgetConfig config;
    private final ModelCallLog calls;
    private final Clock clock;
    private final long refreshMillis;
    private final Map<String, Window> windows = new HashMap<>();
    /** Counts in the database when several processes spend at once; null counts here. */
    private final BudgetLedger ledger;

    enum Period {
        HOUR, DAY, MONTH;

        long start(long nowMillis) {
            Instant now = Instant.ofEpochMilli(nowMillis);
            return switch (this) {
                case HOUR -> now.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
                case DAY -> now.truncatedTo(ChronoUnit.DAYS).toEpochMilli();
                case MONTH -> LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            };
        }

        long end(long start) {
            Instant from = Instant.ofEpochMilli(start);
            return switch (this) {
                case HOUR -> from.plus(1, ChronoUnit.HOURS).toEpochMilli();
                case DAY -> from.plus(1, ChronoUnit.DAYS).toEpochMilli();
                case MONTH -> LocalDate.ofInstant(from, ZoneOffset.UTC).plusMonths(1)
                        .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            };
        }

        String id() {
            return switch (this) {
                case HOUR -> "hourly";
                case DAY -> "daily";
                case MONTH -> "monthly";
            };
        }
    }

    /** Why a call was not admitted: which budget, its limit, what is spent, and when it starts afresh. */
    public record Denial(String scope, String period, long limitMicros, long spentMicros, Instant resetsAt) {
        public String describe() {
            return "the " + period + " " + scope + " budget of " + dollars(limitMicros) + " is spent ("
                    + dollars(spentMicros) + " used); it resets at " + resetsAt;
        }
    }

    /** A budget crossing its alert share (80% by default) for the first time in its period. */
    public record Alert(String scope, String period, long limitMicros, long spentMicros) {
        public String describe() {
            return String.format(Locale.ROOT, "the %s %s budget is at %d%% (%s of %s)", period, scope,
                    Math.round(100.0 * spentMicros / limitMicros), dollars(spentMicros), dollars(limitMicros));
        }
    }

    /** Micro-dollars as dollars with as many decimals as they need, at least two: $10.00, $0.0025. */
    static String dollars(long micros) {
        java.math.BigDecimal amount = java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return "$" + (amount.scale() < 2 ? amount.setScale(2) : amount).toPlainString();
    }

    /** The state of one budget, for stats and dashboards. */
    public record Status(String scope, String period, long limitMicros, long spentMicros, Instant resetsAt) {}

    /** What a call holds against the budgets while it runs. */
    public record Reservation(String userId, long estimateMicros, List<String> windowKeys) {}

    /** The outcome of asking to spend: a reservation, or the first budget that says no. */
    public sealed interface Admission permits Admitted, Denied {}

    public record Admitted(Reservation reservation) implements Admission {}

    public record Denied(Denial denial) implements Admission {}

    private static final class Window {
        final String scope;
        final Period period;
        final long limit;
        long start;
        long spentStored;
        long spentHere;
        long reserved;
        boolean loaded;
        long loadedAt;
        boolean alerted;

        Window(String scope, Period period, long limit) {
            this.scope = scope;
            this.period = period;
            this.limit = limit;
        }

        long spent() {
            return spentStored + spentHere;
        }
    }

    public Budgets(BudgetConfig config, ModelCallLog calls, Clock clock, long refreshMillis) {
        this(config, calls, clock, refreshMillis, null);
    }

    /** Budgets counted in a shared ledger (several nodes on one database); a null ledger counts in this process. */
    public Budgets(BudgetConfig config, ModelCallLog calls, Clock clock, long refreshMillis, BudgetLedger ledger) {
        this.config = config;
        this.calls = calls;
        this.clock = clock;
        this.refreshMillis = refreshMillis;
        this.ledger = ledger;
    }

    public BudgetConfig.OnExceeded onExceeded() {
        return config.onExceeded();
    }

    /** Admits a call that may cost up to {@code estimateMicros}, reserving that much, or says which budget is spent. */
    public synchronized Admission reserve(String userId, long estimateMicros) {
        List<Window> applicable = windowsFor(userId);
        if (ledger != null) {
            return reserveShared(userId, estimateMicros, applicable);
        }
        for (Window w : applicable) {
            if (w.spent() + w.reserved + estimateMicros > w.limit) {
                return new Denied(new Denial(w.scope, w.period.id(), w.limit, w.spent(),
                        Instant.ofEpochMilli(w.period.end(w.start))));
            }
        }
        List<String> keys = new ArrayList<>(applicable.size());
        for (Window w : applicable) {
            w.reserved += estimateMicros;
            keys.add(key(w.scope, w.period));
        }
        return new Admitted(new Reservation(userId, estimateMicros, keys));
    }

    /** The ledger decides, in one atomic step for all windows; this process only remembers which windows they were. */
    private Admission reserveShared(String userId, long estimateMicros, List<Window> applicable) {
        List<BudgetLedger.Window> shared = applicable.stream().map(this::shared).toList();
        int refused = ledger.reserve(shared, estimateMicros);
        if (refused >= 0) {
            Window w = applicable.get(refused);
            return new Denied(new Denial(w.scope, w.period.id(), w.limit, ledger.held(shared.get(refused)).spentMicros(),
                    Instant.ofEpochMilli(w.period.end(w.start))));
        }
        return new Admitted(new Reservation(userId, estimateMicros,
                shared.stream().map(BudgetLedger.Window::key).toList()));
    }

    private BudgetLedger.Window shared(Window w) {
        return new BudgetLedger.Window(key(w.scope, w.period) + "|" + w.start, w.limit, w.spentStored);
    }

    /** Replaces a reservation with what the call really cost; returns the budgets that crossed their alert share. */
    public synchronized List<Alert> settle(Reservation reservation, long costMicros) {
        if (ledger != null) {
            return settleShared(reservation, costMicros);
        }
        List<Alert> alerts = new ArrayList<>();
        for (String key : reservation.windowKeys()) {
            Window w = windows.get(key);
            if (w == null) {
                continue;
            }
            w.reserved = Math.max(0, w.reserved - reservation.estimateMicros());
            w.spentHere += costMicros;
            if (!w.alerted && w.spent() >= config.alertAt() * w.limit) {
                w.alerted = true;
                alerts.add(new Alert(w.scope, w.period.id(), w.limit, w.spent()));
            }
        }
        return alerts;
    }

    private List<Alert> settleShared(Reservation reservation, long costMicros) {
        List<BudgetLedger.Held> held = ledger.settle(reservation.windowKeys(), reservation.estimateMicros(), costMicros);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            String key = reservation.windowKeys().get(i);
            Window w = windows.get(key.substring(0, key.lastIndexOf('|')));
            long spent = held.get(i).spentMicros();
            if (w != null && !w.alerted && spent >= config.alertAt() * w.limit) {
                w.alerted = true; // told once per node and period
                alerts.add(new Alert(w.scope, w.period.id(), w.limit, spent));
            }
        }
        return alerts;
    }

    /** Gives a reservation back: the call failed or went elsewhere. */
    public synchronized void release(Reservation reservation) {
        settle(reservation, 0);
    }

    public synchronized List<Status> status(String userId) {
        return windowsFor(userId).stream()
                .map(w -> new Status(w.scope, w.period.id(), w.limit,
                        ledger == null ? w.spent() : ledger.held(shared(w)).spentMicros(),
                        Instant.ofEpochMilli(w.period.end(w.start))))
                .toList();
    }

    private List<Window> windowsFor(String userId) {
        List<Window> applicable = new ArrayList<>(6);
        add(applicable, "global", null, config.global());
        add(applicable, "user " + userId, userId, config.limitsFor(userId));
        return applicable;
    }

    private void add(List<Window> into, String scope, String userId, BudgetConfig.Limits limits) {
        addWindow(into, scope, userId, Period.HOUR, limits.hourly());
        addWindow(into, scope, userId, Period.DAY, limits.daily());
        addWindow(into, scope, userId, Period.MONTH, limits.monthly());
    }

    private void addWindow(List<Window> into, String scope, String userId, Period period, Double dollars) {
        if (dollars == null) {
            return;
        }
        long now = clock.millis();
        Window w = windows.computeIfAbsent(key(scope, period),
                k -> new Window(scope, period, Math.round(dollars * 1_000_000)));
        long start = period.start(now);
        if (w.start != start) {
            w.start = start;
            w.alerted = false;
            w.loaded = false;
        }
        if (!w.loaded || now - w.loadedAt >= refreshMillis) {
            // Our own settled calls are flushed first, so the stored sum includes them.
            w.spentStored = calls.spentSince(start, userId);
            w.spentHere = 0;
            w.loadedAt = now;
            w.loaded = true;
        }
        into.add(w);
    }

    private static String key(String scope, Period period) {
        return scope + "|" + period;
    }
}
