package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import java.io.IOException;

/** The provider's own words about an error, from OpenAI, Anthropic, Ollama, vLLM or FastAPI shaped bodies. */
record ErrorDetail(String type, String code, String message) {
    static final ErrorDetail NONE = new ErrorDetail(null, null, null);

    static ErrorDetail parse(String body) {
        if (body == null || body.isBlank()) {
            return NONE;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            return new ErrorDetail(null, null, ProviderHttp.excerpt(body, 200));
        }
        if (node == null || !node.isObject()) {
            return new ErrorDetail(null, null, ProviderHttp.excerpt(body, 200));
        }
        return fromNode(node);
    }

    /** {"error":{"type","code","message"}}, {"error":"text"}, {"message":..}, {"detail":..}. */
    static ErrorDetail fromNode(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isObject()) {
            return new ErrorDetail(text(error.get("type")), text(error.get("code")), text(error.get("message")));
        }
        if (error.isTextual()) {
            return new ErrorDetail(null, null, error.asText());
        }
        if (node.hasNonNull("message")) {
            return new ErrorDetail(text(node.get("type")), text(node.get("code")), text(node.get("message")));
        }
        if (node.hasNonNull("detail")) {
            JsonNode detail = node.get("detail");
            return new ErrorDetail(null, null,
                    detail.isTextual() ? detail.asText() : ProviderHttp.excerpt(detail.toString(), 200));
        }
        return new ErrorDetail(null, null, ProviderHttp.excerpt(node.toString(), 200));
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    boolean isEmpty() {
        return type == null && code == null && (message == null || message.isBlank());
    }

    @Override
    public String toString() {
        String label = type != null && !type.equals("error") ? type : code;
        if (label != null && code != null && !code.equals(label)) {
            label = label + "/" + code;
        }
        if (message == null || message.isBlank()) {
            return label == null ? "" : label;
        }
        return label == null ? message : label + ": " + message;
    }
}
