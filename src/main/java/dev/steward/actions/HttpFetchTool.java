package dev.steward.actions;

import dev.steward.support.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
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
 * resolution unless configured, so nothing is sent to them.
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
                check(uri);
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

    /** Refuses URLs that are not http(s), and hosts that resolve to an address we must not reach. */
    private void check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ToolException("refused " + uri + ": only http and https URLs may be fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new ToolException("refused " + uri + ": the URL has no host");
        }
        if (limits.allowPrivate() || limits.allowHosts().contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ToolException("cannot resolve host " + host);
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null) {
                throw new ToolException("refused " + uri + ": " + host + " is " + address.getHostAddress() + ", "
                        + why + " (allow it with actions.http.allow_private or actions.http.allow_hosts)");
            }
        }
    }

    /** Why an address may not be reached, or null if it may. */
    static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] == (byte) 0xff && b[11] == (byte) 0xff)) {
                try {
                    return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return "an unreadable address";
                }
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local) address";
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return address.getHostAddress().equals("169.254.169.254") ? "the cloud metadata address"
                    : "a link-local address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "a reserved address";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT) address";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "a reserved address";
            }
            if (first >= 240) {
                return "a reserved address";
            }
        }
        return null;
    }
}
