package dev.steward.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ModelException;
import dev.steward.router.RoutingException;
import dev.steward.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the gateway cannot serve, in the shape OpenAI clients parse:
 * {@code {"error": {"message", "type", "param", "code"}}} with a matching HTTP status and headers.
 */
final class ApiError extends RuntimeException {
    static final String INVALID_REQUEST = "invalid_request_error";

    final int status;
    final String type;
    final String param;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, INVALID_REQUEST, param, code, message);
    }

    ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    ObjectNode body() {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return body;
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
        return new ApiError(500, "server_error", null, "internal_error", "internal error: " + e);
    }
}
