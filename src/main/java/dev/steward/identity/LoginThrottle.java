package dev.steward.identity;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins, per account and per client address. After {@link #FAILURES_BEFORE_LOCK} wrong passwords in a row
 * the account (or the address) is locked: further attempts are refused without looking at the password, for a minute,
 * then twice as long with every further failure, up to {@link #LONGEST_LOCK}. A successful login clears the account's
 * and the address's count, and tells the account's owner what happened since their last login (the lockout notice).
 * Failures are forgotten after {@link #FORGET_AFTER} without one. Kept in the process: each node of a cluster counts
 * its own.
 */
public final class LoginThrottle {
    public static final int FAILURES_BEFORE_LOCK = 10;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_TRACKED = 100_000;

    /** Why a login may not even be tried now, and for how long. */
    public record Locked(String who, int failures, long retryAfterSeconds) {}

    /** What the owner of an account should hear once they are in: failed logins since their last one. */
    public record Notice(int failures, String lastAddress, boolean wasLocked) {
        public String text() {
            return failures + " failed login" + (failures == 1 ? "" : "s") + " for this account since its last"
                    + " successful one, the last from " + lastAddress + (wasLocked ? "; the account was locked for a"
                    + " while because of them" : "") + ". If that was not you, change your password.";
        }
    }

    private record Count(int failures, long lastFailure, long lockedUntil, String lastAddress, boolean everLocked) {}

    private final InstantSource clock;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    public LoginThrottle(InstantSource clock) {
        this.clock = clock;
    }

    /** The lock that refuses a login of this account from this address now, if any. */
    public Optional<Locked> check(String account, String address) {
        long now = clock.millis();
        Optional<Locked> byAccount = locked(accountKey(account), "account '" + account + "'", now);
        return byAccount.isPresent() ? byAccount : locked(addressKey(address), "address " + address, now);
    }

    /** Counts a wrong password; returns the lock it brought on, if it did. */
    public Optional<Locked> failed(String account, String address) {
        if (counts.size() > MAX_TRACKED) {
            forgetOld();
        }
        long now = clock.millis();
        Count forAccount = count(accountKey(account), address, now);
        Count forAddress = count(addressKey(address), address, now);
        Count worse = forAccount.lockedUntil() >= forAddress.lockedUntil() ? forAccount : forAddress;
        if (worse.lockedUntil() <= now) {
            return Optional.empty();
        }
        return Optional.of(new Locked(worse == forAccount ? "account '" + account + "'" : "address " + address,
                worse.failures(), seconds(worse.lockedUntil() - now)));
    }

    /** A successful login: clears the counts and returns the notice its owner should see, if anything happened. */
    public Optional<Notice> succeeded(String account, String address) {
        Count before = counts.remove(accountKey(account));
        counts.remove(addressKey(address));
        if (before == null || before.failures() == 0 || expired(before, clock.millis())) {
            return Optional.empty();
        }
        return Optional.of(new Notice(before.failures(), before.lastAddress(), before.everLocked()));
    }

    private Count count(String key, String address, long now) {
        return counts.compute(key, (k, old) -> {
            int failures = old == null || expired(old, now) ? 1 : old.failures() + 1;
            long lockedUntil = failures < FAILURES_BEFORE_LOCK ? 0 : now + lockMillis(failures);
            return new Count(failures, now, lockedUntil, address, lockedUntil > 0 || (old != null && old.everLocked()));
        });
    }

    /** A minute at the lock's start, doubled with each further failure, at most {@link #LONGEST_LOCK}. */
    static long lockMillis(int failures) {
        int doublings = Math.min(failures - FAILURES_BEFORE_LOCK, 10);
        return Math.min(FIRST_LOCK.toMillis() << doublings, LONGEST_LOCK.toMillis());
    }

    private Optional<Locked> locked(String key, String who, long now) {
        Count count = counts.get(key);
        if (count == null || count.lockedUntil() <= now) {
            return Optional.empty();
        }
        return Optional.of(new Locked(who, count.failures(), seconds(count.lockedUntil() - now)));
    }

    private static boolean expired(Count count, long now) {
        return now - count.lastFailure() > FORGET_AFTER.toMillis() && count.lockedUntil() <= now;
    }

    private void forgetOld() {
        long now = clock.millis();
        counts.entrySet().removeIf(e -> expired(e.getValue(), now));
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String accountKey(String account) {
        return "account:" + (account == null ? "" : account.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
