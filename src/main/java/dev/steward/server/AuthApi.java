package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts.Principal;
import dev.steward.identity.Accounts.User;
import dev.steward.identity.Accounts;
import dev.steward.identity.Sessions;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/** Logging in and out of the web UI, and who is logged in. */
final class AuthApi {
    static final String LOGIN = "/api/auth/login";

    private final Accounts accounts;
    private final Sessions sessions;
    private final Access access;

    AuthApi(Accounts accounts, Sessions sessions, Access access) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.access = access;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, LOGIN, "Log in with a name and password: sets the session cookie",
                this::login);
        routes.add(config, HandlerType.POST, "/api/auth/logout", "Log out: clears the session cookies", this::logout);
        routes.add(config, HandlerType.GET, "/api/auth/me", "Who is logged in (or whose key this is)", this::me);
    }

    private void login(Context ctx) {
        access.countLogin(ctx.ip());
        JsonNode body = Bodies.object(ctx);
        String name = Bodies.text(body, "username", true);
        String password = Bodies.text(body, "password", true);
        User user = accounts.login(name, password).orElseThrow(() -> ApiError.of(401, "unauthenticated",
                "wrong user name or password", "check both; an admin can set a new password with 'steward users passwd'"));
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
        HttpServer.json(ctx, 200, answer);
    }

    private void logout(Context ctx) {
        Access.principal(ctx);
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
