package dev.steward.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ModelException;
import dev.steward.router.RoutingException;
import dev.steward.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request Steward cannot serve, with a matching HTTP status and headers. Under {@code /v1} it is written in the
 * shape OpenAI clients parse, {@code {"error": {"message", "type", "param", "code"}}}; everywhere else in Steward's
 * own, {@code {"error": {"code", "message", "hint"}}}, where the hint says what to do about it.
 */
final class ApiError extends RuntimeException {
    static final String INVALID_REQUEST = "invalid_request_error";

    final int status;
    final String type;
    final String param;
    final String code;
    final String hint;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null);
    }

    private ApiError(int status, String type, String param, String code, String message, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.hint = hint;
    }

    /** An error of Steward's own API: {@code code} is one of bad_request, unauthenticated, forbidden, … */
    static ApiError of(int status, String code, String message, String hint) {
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : INVALID_REQUEST;
        };
        return new ApiError(status, type, null, code, message, hint);
    }

    static ApiError badRequest(String message, String hint) {
        return of(400, "bad_request", message, hint);
    }

    static ApiError notFound(String what, String id) {
        return of(404, "not_found", "no " + what + " '" + id + "'", "check the id; you can only see your own " + what + "s");
    }

    static ApiError forbidden(String message, String hint) {
        return of(403, "forbidden", message, hint);
    }

    static ApiError conflict(String message, String hint) {
        return of(409, "conflict", message, hint);
    }

    static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, INVALID_REQUEST, param, code, message);
    }

    ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** OpenAI's error shape, for {@code /v1}. */
    ObjectNode openAiBody() {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", hint == null ? getMessage() : getMessage() + "; " + hint);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return body;
    }

    /** Steward's error shape, for everything but {@code /v1}. */
    ObjectNode body() {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", stewardCode());
        error.put("message", getMessage());
        error.put("hint", hint);
        return body;
    }

    /** The codes of Steward's API are its statuses in words; the gateway's finer codes say more when it has them. */
    private String stewardCode() {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "request_too_large";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : code;
        };
    }

    /** What a router failure means to a client: which status, and what to fix or how long to wait. */
    static ApiError from(RuntimeException e, Instant now) {
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof RoutingException.UnknownModel) {
            return new ApiError(404, INVALID_REQUEST, "model", "model_not_found", e.getMessage());
        }
        if (e instanceof RoutingException.PromptTooLarge) {
            return new ApiError(400, INVALID_REQUEST, "messages", "context_length_exceeded", e.getMessage());
        }
        if (e instanceof RoutingException.OverBudget over) {
            long seconds = Math.max(1, (Duration.between(now, over.resetsAt()).toMillis() + 999) / 1000);
            return new ApiError(429, "insufficient_quota", null, "budget_exceeded", e.getMessage())
                    .header("Retry-After", Long.toString(seconds));
        }
        if (e instanceof RoutingException.NoModelAvailable) {
            return new ApiError(502, "upstream_error", null, "no_model_available", e.getMessage());
        }
        if (e instanceof ModelException) {
            return new ApiError(502, "upstream_error", null, "model_error", "the model failed: " + e.getMessage());
        }
        if (dev.steward.store.Database.isOutage(e)) {
            return databaseUnavailable(e);
        }
        return new ApiError(500, "server_error", null, "internal_error", "internal error: " + e);
    }

    /** The database went away (PostgreSQL restarting, the network down): nothing was done; try again shortly. */
    static ApiError databaseUnavailable(Throwable e) {
        return new ApiError(503, "server_error", null, "database_unavailable", "the database cannot be reached right now ("
                + dev.steward.support.Errors.firstLine(dev.steward.support.Errors.root(e)) + ")",
                "send the request again in a few seconds; the server reconnects by itself. If it lasts, check that"
                        + " the database in database.url is up (steward doctor)").header("Retry-After", "5");
    }
}
