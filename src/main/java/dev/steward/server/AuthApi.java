package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts.Principal;
import dev.steward.identity.Accounts.User;
import dev.steward.identity.Accounts;
import dev.steward.identity.LoginThrottle;
import dev.steward.identity.Sessions;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out of the web UI, and who is logged in. Wrong passwords lock the account and the address for a while
 * ({@link LoginThrottle}); the owner hears of failed logins when they next log in.
 */
final class AuthApi {
    static final String LOGIN = "/api/auth/login";
    private static final Logger LOG = LoggerFactory.getLogger(AuthApi.class);

    private final Accounts accounts;
    private final Sessions sessions;
    private final Access access;
    private final LoginThrottle throttle;

    AuthApi(Accounts accounts, Sessions sessions, Access access, LoginThrottle throttle) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.access = access;
        this.throttle = throttle;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, LOGIN, "Log in with a name and password: sets the session cookie",
                this::login);
        routes.add(config, HandlerType.POST, "/api/auth/logout", "Log out: clears the session cookies", this::logout);
        routes.add(config, HandlerType.GET, "/api/auth/me", "Who is logged in (or whose key this is)", this::me);
    }

    private void login(Context ctx) {
        access.countLogin(ctx.ip());
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // A form on another site can post text/plain without asking first; JSON it cannot.
            throw ApiError.of(415, "unsupported_media_type", "log in with a JSON body",
                    "send Content-Type: application/json and {\"username\": …, \"password\": …}");
        }
        JsonNode body = Bodies.object(ctx);
        String name = Bodies.text(body, "username", true);
        String password = Bodies.text(body, "password", true);
        String address = ctx.ip();
        throttle.check(name, address).ifPresent(locked -> {
            throw lockedOut(locked);
        });
        Optional<User> found = accounts.login(name, password);
        if (found.isEmpty()) {
            throttle.failed(name, address).ifPresent(locked -> LOG.warn("login: {} locked for {} s after {} wrong"
                    + " passwords in a row, the last from {}", locked.who(), locked.retryAfterSeconds(),
                    locked.failures(), address));
            throw ApiError.of(401, "unauthenticated", "wrong user name or password", "check both; after "
                    + LoginThrottle.FAILURES_BEFORE_LOCK + " wrong passwords in a row the account is locked for a"
                    + " while; an admin can set a new password with 'steward users passwd'");
        }
        User user = found.get();
        Optional<LoginThrottle.Notice> notice = throttle.succeeded(name, address);
        Sessions.Issued issued = sessions.issue(user.id());
        long maxAge = Sessions.LIFETIME.toSeconds();
        // Behind a TLS proxy the connection is plain HTTP; the proxy says what the browser used.
        boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        String secure = https ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", Sessions.COOKIE + "=" + issued.token() + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + secure);
        ctx.res().addHeader("Set-Cookie", Sessions.CSRF_COOKIE + "=" + issued.csrf() + "; Path=/; Max-Age=" + maxAge
                + "; SameSite=Strict" + secure);
        ObjectNode answer = Json.object();
        answer.set("user", user(new Principal(user.id(), user.name(), user.role(), null)));
        answer.put("csrf_token", issued.csrf());
        notice.ifPresent(n -> answer.put("notice", n.text()));
        HttpServer.json(ctx, 200, answer);
    }

    static ApiError lockedOut(LoginThrottle.Locked locked) {
        return ApiError.of(429, "rate_limited", "too many wrong passwords: " + locked.who() + " is locked for "
                        + locked.retryAfterSeconds() + " s after " + locked.failures() + " failed logins in a row",
                "wait " + locked.retryAfterSeconds() + " s (Retry-After), then log in with the right password; the"
                        + " account's owner is told of the failed logins at their next login")
                .header("Retry-After", Long.toString(locked.retryAfterSeconds()));
    }

    private void logout(Context ctx) {
        Access.principal(ctx);
        sessions.revoke(ctx.cookie(Sessions.COOKIE));
        for (String cookie : new String[] {Sessions.COOKIE, Sessions.CSRF_COOKIE}) {
            ctx.res().addHeader("Set-Cookie", cookie + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        }
        HttpServer.json(ctx, 200, Json.object().put("ok", true));
    }

    private void me(Context ctx) {
        HttpServer.json(ctx, 200, user(Access.principal(ctx)));
    }

    static ObjectNode user(Principal principal) {
        return Json.object().put("id", principal.userId()).put("name", principal.name())
                .put("role", principal.role().id());
    }
}
