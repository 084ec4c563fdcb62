package dev.steward.server;

import dev.steward.config.ServerConfig;
import dev.steward.support.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The first thing every request meets, before Javalin, MCP or the web UI: the IP allowlist ({@code server.allow_ips}),
 * the request size limit ({@code server.max_request_bytes}: a declared body that is too large is refused before it is
 * read, a streamed one when it grows too large), and the security headers every response carries.
 */
final class Edge extends Handler.Wrapper {
    /** For everything but the web page, which sends its own stricter-for-scripts policy (see {@link WebUi}). */
    static final String DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String HSTS = "max-age=31536000; includeSubDomains";

    private final InetAddressSet allowed;
    private final long maxRequestBytes;

    Edge(ServerConfig config) {
        List<String> ips = config.allowIps();
        this.allowed = ips.isEmpty() ? null : new InetAddressSet();
        ips.forEach(ip -> allowed.add(ip.strip()));
        this.maxRequestBytes = config.maxRequestBytes();
        // Bodies sent without a length (chunked) are counted as they are read.
        setHandler(new SizeLimitHandler(maxRequestBytes, -1));
    }

    /** Puts the edge in front of what {@code server} served so far; Javalin's handlers end up inside the size limit. */
    void wrap(org.eclipse.jetty.server.Server server) {
        SizeLimitHandler limit = (SizeLimitHandler) getHandler();
        limit.setHandler(server.getHandler());
        server.setHandler(this);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", DEFAULT_CSP);
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        if (request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"))) {
            headers.put("Strict-Transport-Security", HSTS);
        }
        String path = Request.getPathInContext(request);
        InetAddress client = address(request.getConnectionMetaData().getRemoteSocketAddress());
        if (allowed != null && (client == null || !allowed.test(client))) {
            return refuse(response, callback, path, ApiError.forbidden("your address "
                    + Request.getRemoteAddr(request) + " is not in server.allow_ips", "connect from an allowed"
                    + " address, or ask the operator to add yours to server.allow_ips in steward.yaml"));
        }
        if (request.getLength() > maxRequestBytes) {
            return refuse(response, callback, path, tooLarge(maxRequestBytes));
        }
        return super.handle(request, response, callback);
    }

    static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, ApiError.INVALID_REQUEST, null, "request_too_large",
                "the request body is larger than " + describe(maxBytes) + " (server.max_request_bytes)");
    }

    static String describe(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }

    private static InetAddress address(SocketAddress socket) {
        return socket instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private static boolean refuse(Response response, Callback callback, String path, ApiError error) {
        response.setStatus(error.status);
        error.headers.forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // The body is not read: the connection closes after the answer rather than draining it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        byte[] body = Json.write(path.startsWith("/v1") ? error.openAiBody() : error.body())
                .getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
