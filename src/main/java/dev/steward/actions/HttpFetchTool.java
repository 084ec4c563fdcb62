package dev.steward.actions;

import dev.steward.support.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * http.fetch: one HTTP request, redirects followed here (each hop checked again), the body read up to a limit and
 * HTML turned into its text. Loopback, private, link-local and cloud-metadata addresses are refused after DNS
 * resolution unless configured, so nothing is sent to them (see {@link Destinations}).
 */
final class HttpFetchTool implements Tool {
    static final String NAME = "http.fetch";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private final ActionsConfig.Http limits;
    private final ToolSpec spec = new ToolSpec(NAME,
            "Fetch a URL over HTTP(S); HTML comes back as its text. GET and HEAD read; other methods change things "
                    + "elsewhere and need approval.",
            Json.parse("""
                    {"type":"object","properties":{
                      "url":{"type":"string","minLength":1},
                      "method":{"type":"string","enum":["GET","HEAD","POST","PUT","PATCH","DELETE"]},
                      "headers":{"type":"object","additionalProperties":{"type":"string"}},
                      "body":{"type":"string"}},
                     "required":["url"],"additionalProperties":false}"""),
            Risk.EXTERNAL);
    private volatile HttpClient client;

    HttpFetchTool(ActionsConfig.Http limits) {
        this.limits = limits;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    /** Reading the web is external; writing to it (POST, PUT, PATCH, DELETE) is dangerous. */
    @Override
    public Risk riskOf(JsonNode arguments) {
        return SAFE_METHODS.contains(arguments.path("method").asText("GET").toUpperCase(Locale.ROOT))
                ? Risk.EXTERNAL : Risk.DANGEROUS;
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(limits.timeoutSeconds())).build();
        }
        return client;
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        String method = arguments.path("method").asText("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            return ToolResult.failed("argument 'method': expected one of " + METHODS + ", found " + method);
        }
        URI uri;
        try {
            uri = new URI(arguments.path("url").asText());
        } catch (URISyntaxException e) {
            return ToolResult.failed("argument 'url': not a valid URL (" + e.getReason() + ")");
        }
        try {
            for (int hop = 0; ; hop++) {
                Destinations.check(uri, limits);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(limits.timeoutSeconds()))
                        .header("User-Agent", "Steward/1 (+http.fetch)");
                Iterator<Map.Entry<String, JsonNode>> headers = arguments.path("headers").fields();
                while (headers.hasNext()) {
                    Map.Entry<String, JsonNode> header = headers.next();
                    request.header(header.getKey(), header.getValue().asText());
                }
                String body = arguments.path("body").asText(null);
                request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<InputStream> response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                String location = response.headers().firstValue("Location").orElse(null);
                if (status >= 300 && status < 400 && location != null) {
                    response.body().close();
                    if (hop >= limits.maxRedirects()) {
                        return ToolResult.failed("too many redirects (more than " + limits.maxRedirects() + ")");
                    }
                    uri = uri.resolve(location);
                    if (status == 303 || (status == 301 || status == 302) && method.equals("POST")) {
                        method = "GET";
                    }
                    continue;
                }
                return ToolResult.ok(read(uri, response, method));
            }
        } catch (ToolException e) {
            return ToolResult.failed(e.getMessage());
        } catch (IOException e) {
            return ToolResult.failed("fetching " + uri + " failed: " + Errors.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.failed("interrupted");
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("cannot send this request: " + e.getMessage());
        }
    }

    private ObjectNode read(URI uri, HttpResponse<InputStream> response, String method) throws IOException {
        byte[] bytes;
        boolean truncated;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(limits.maxBytes());
            truncated = !method.equals("HEAD") && in.read() >= 0;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        String raw = new String(bytes, StandardCharsets.UTF_8);
        ObjectNode result = Json.object().put("url", uri.toString()).put("status", response.statusCode())
                .put("content_type", type);
        if (type.toLowerCase(Locale.ROOT).contains("html")) {
            Document document = Jsoup.parse(raw, uri.toString());
            result.put("title", document.title()).put("text", document.body() == null ? "" : document.body().text());
        } else {
            result.put("text", raw);
        }
        return result.put("truncated", truncated).put("bytes", bytes.length);
    }
}
