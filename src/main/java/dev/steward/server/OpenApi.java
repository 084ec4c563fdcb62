package dev.steward.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Sessions;
import dev.steward.support.Json;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 description of the server, made from the route table itself, so that it lists every route there
 * is. Bodies are described in prose (docs/api.md has them in full, with examples); the error shape is a schema.
 */
final class OpenApi {
    private static final Pattern PARAMETER = Pattern.compile("\\{([^/]+)}");

    private OpenApi() {}

    static ObjectNode describe(java.util.List<RouteTable.Route> routes) {
        ObjectNode root = Json.object().put("openapi", "3.1.0");
        root.putObject("info").put("title", "Steward API").put("version", version())
                .put("description", "Steward's HTTP API. Everything but /health, /ready and logging in needs"
                        + " 'Authorization: Bearer KEY' or the session cookie (plus X-CSRF-Token on changes)."
                        + " Errors: {\"error\": {\"code\", \"message\", \"hint\"}} (OpenAI's shape under /v1).");
        ObjectNode components = root.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        components.withObjectProperty("securitySchemes").putObject("session").put("type", "apiKey").put("in", "cookie")
                .put("name", Sessions.COOKIE);
        ObjectNode error = components.putObject("schemas").putObject("Error").put("type", "object");
        ObjectNode inner = error.putObject("properties").putObject("error").put("type", "object");
        ObjectNode fields = inner.putObject("properties");
        for (String field : new String[] {"code", "message", "hint"}) {
            fields.putObject(field).put("type", "string");
        }
        ObjectNode paths = root.putObject("paths");
        for (RouteTable.Route route : routes) {
            ObjectNode operation = paths.withObjectProperty(route.path()).putObject(route.method().toLowerCase(Locale.ROOT));
            operation.put("summary", route.summary());
            ArrayNode parameters = operation.putArray("parameters");
            Matcher m = PARAMETER.matcher(route.path());
            while (m.find()) {
                parameters.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
            if (!HttpServer.needsCredentials(route.path())) {
                operation.putArray("security");
            } else {
                ArrayNode security = operation.putArray("security");
                security.addObject().putArray("bearer");
                security.addObject().putArray("session");
            }
            ObjectNode responses = operation.putObject("responses");
            responses.putObject("200").put("description", "OK");
            responses.putObject("default").put("description", "An error").putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
        return root;
    }

    private static String version() {
        String version = OpenApi.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
