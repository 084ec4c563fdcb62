package dev.steward.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steward.config.Role;
import dev.steward.identity.Accounts.Principal;
import dev.steward.identity.Accounts;
import dev.steward.identity.Sessions;
import dev.steward.support.SharedBuckets;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request acts for, and whether it may: an API key ({@code Authorization: Bearer KEY}) or the browser's
 * session cookie, which must send its CSRF token back on every request that changes something; then the rate
 * limits of the user and of the key, counted in this process or, on several nodes, in the buckets they share.
 */
final class Access {
    static final String PRINCIPAL = "steward.principal";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /**
     * Login attempts per client address and minute, right or wrong: a flood guard. Guessing is stopped sooner by the
     * lock after {@link dev.steward.identity.LoginThrottle#FAILURES_BEFORE_LOCK} wrong passwords in a row.
     */
    static final int LOGINS_PER_MINUTE = 30;

    private final Accounts accounts;
    private final Sessions sessions;
    private final int userPerMinute;
    private final int keyPerMinute;
    /** The cluster's buckets; null on a single node, which counts in {@link #buckets}. */
    private final SharedBuckets shared;
    /** Read on every request: the cache's upkeep runs on the reading thread, not handed to the common pool. */
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    /**
     * @param userPerMinute requests per user and minute, 0 for no limit; {@code keyPerMinute} likewise per key
     * @param shared        the buckets all nodes count in, or null to count in this process
     */
    Access(Accounts accounts, Sessions sessions, int userPerMinute, int keyPerMinute, SharedBuckets shared) {
        this.shared = shared;
        this.accounts = accounts;
        this.sessions = sessions;
        this.userPerMinute = userPerMinute;
        this.keyPerMinute = keyPerMinute;
    }

    /** The request's principal, or the reason it has none (401) or may not go on (403, 429). */
    Principal authenticate(String authorization, String sessionCookie, String method, String csrfHeader) {
        Principal principal;
        if (authorization != null && !authorization.isBlank()) {
            String key = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
            principal = accounts.authenticate(key).orElseThrow(() -> ApiError.of(401, "unauthenticated",
                    "the API key is not valid (unknown, revoked, or its user was removed)",
                    "send 'Authorization: Bearer KEY' with a key from 'steward keys create --user NAME'"));
        } else if (sessionCookie != null) {
            Sessions.Session session = sessions.verify(sessionCookie).orElseThrow(() -> ApiError.of(401,
                    "unauthenticated", "the session has expired or is not valid", "log in again"));
            principal = accounts.userById(session.userId())
                    .map(u -> new Principal(u.id(), u.name(), u.role(), null))
                    .orElseThrow(() -> ApiError.of(401, "unauthenticated", "this user no longer exists",
                            "log in as another user"));
            if (!SAFE_METHODS.contains(method) && !sameToken(csrfHeader, session.csrf())) {
                throw ApiError.forbidden("the " + Sessions.CSRF_HEADER + " header is missing or does not match"
                        + " the session", "send the value of the " + Sessions.CSRF_COOKIE + " cookie (or the"
                        + " csrf_token the login returned) in the " + Sessions.CSRF_HEADER + " header");
            }
        } else {
            throw ApiError.of(401, "unauthenticated", "no credentials",
                    "send 'Authorization: Bearer KEY' (see 'steward keys create'), or log in at POST /api/auth/login");
        }
        if (principal.keyId() != null) {
            take("key:" + principal.keyId(), keyPerMinute, "this API key");
        }
        take("user:" + principal.userId(), userPerMinute, "user " + principal.name());
        return principal;
    }

    /**
     * Refuses a browser request that changes something from a page of another site (403): its {@code Sec-Fetch-Site}
     * says cross-site, or its {@code Origin} is not this server. Requests with an API key are not a browser's session
     * and pass; so do requests with neither header (programs, old browsers: the CSRF token still guards those).
     */
    static void sameOrigin(Context ctx) {
        if (SAFE_METHODS.contains(ctx.method().name()) || ctx.header("Authorization") != null) {
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        boolean crossSite = "cross-site".equalsIgnoreCase(site);
        if (!crossSite && origin != null && !origin.equals("null")) {
            String host = ctx.header("Host");
            try {
                java.net.URI uri = java.net.URI.create(origin);
                String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
                crossSite = host == null || !host.equalsIgnoreCase(authority);
            } catch (IllegalArgumentException badOrigin) {
                crossSite = true;
            }
        } else if ("null".equals(origin)) {
            crossSite = true;
        }
        if (crossSite) {
            throw ApiError.forbidden("a page of another site (" + (origin == null ? site : origin) + ") may not change"
                    + " anything here", "use Steward's own web UI, or call the API with an API key");
        }
    }

    /** Counts a login attempt from this address against its limit. */
    void countLogin(String address) {
        take("login:" + address, LOGINS_PER_MINUTE, "logins from " + address);
    }

    private void take(String key, int perMinute, String who) {
        if (perMinute <= 0) {
            return;
        }
        long waitNanos = shared != null ? shared.tryTake(key, perMinute) : takeHere(key, perMinute);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw ApiError.of(429, "rate_limited", "too many requests: " + who + " may make " + perMinute
                            + " per minute", "wait " + seconds + " s (Retry-After) and try again")
                    .header("Retry-After", Long.toString(seconds));
        }
    }

    /** 0 when this process's bucket had one, else the nanoseconds until it has. */
    private long takeHere(String key, int perMinute) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** The principal {@link HttpServer} found for this request. */
    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException(ctx.path() + " ran without authentication");
        }
        return principal;
    }

    /** The principal, if their role may use tools and approvals; 403 for a limited user. */
    static Principal withTools(Context ctx) {
        Principal principal = principal(ctx);
        if (principal.role() == Role.LIMITED) {
            throw ApiError.forbidden("user " + principal.name() + " has the role 'limited': chat only, no tools or"
                    + " approvals", "ask an admin for the role 'standard' (steward users add … --role standard)");
        }
        return principal;
    }

    static Principal admin(Context ctx) {
        Principal principal = principal(ctx);
        if (principal.role() != Role.ADMIN) {
            throw ApiError.forbidden("this needs the role 'admin'; user " + principal.name() + " is "
                    + principal.role().id(), "ask an admin");
        }
        return principal;
    }

    static Optional<String> cookie(String header, String name) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(name + "=")) {
                return Optional.of(p.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static boolean sameToken(String given, String expected) {
        return given != null && expected != null && MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
