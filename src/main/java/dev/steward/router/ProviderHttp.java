package dev.steward.router;

import dev.steward.support.Errors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.support.Json;
import dev.steward.telemetry.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The HTTP plumbing every provider shares: one endpoint (provider, model, base URL, timeouts), sending with the
 * request timeout, reading bodies and SSE streams under an idle timeout, and turning every failure into a
 * {@link ModelException} whose message names the provider, the model and what happened.
 *
 * <p>Timeouts: the request timeout runs until the response headers arrive, and again until the first bytes of
 * the body (a streaming server may send headers at once and then think); after that, a silence longer than the
 * idle timeout fails the call as {@link Kind#STALLED}. Time the caller spends handling a chunk does not count.
 *
 * <p>The client is OkHttp ({@link Providers#httpClient}): the calling thread writes the request and reads the
 * answer itself, with no hand-over to a selector thread and back, which is what makes a proxied call cheap. A
 * call is cancelled by interrupting its thread, platform or virtual: the sockets sit on NIO channels, which close
 * when a thread blocked on them is interrupted.
 */
final class ProviderHttp {
    /** Error bodies are read up to this size; the rest is not worth the wait. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** How often a call that failed on a pooled connection the server had closed is sent again on a fresh one. */
    private static final int STALE_RETRIES = 3;
    private static final int MAX_CACHED_URLS = 8;
    /** A body that says it is at most this long is read into an array of its length at once. */
    private static final int MAX_PRESIZED_BODY = 4 * 1024 * 1024;

    final String provider;
    final String model;
    final String baseUrl;
    final boolean hasApiKey;
    private final OkHttpClient http;
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();
    final Duration requestTimeout;
    final Duration idleTimeout;

    ProviderHttp(String provider, String model, String baseUrl, boolean hasApiKey, OkHttpClient http,
                 Duration requestTimeout, Duration idleTimeout) {
        this.provider = provider;
        this.model = model;
        this.baseUrl = stripSlash(baseUrl);
        this.hasApiKey = hasApiKey;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout == null ? defaultIdle(requestTimeout) : idleTimeout;
    }

    /** Between chunks of a stream: the request timeout, but never more than 30 s of silence. */
    static Duration defaultIdle(Duration requestTimeout) {
        Duration cap = Duration.ofSeconds(30);
        return requestTimeout.compareTo(cap) < 0 ? requestTimeout : cap;
    }

    static String stripSlash(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** How messages name the call: {@code openai/gpt-4o-mini}, or just {@code openai} when no model is involved. */
    String who() {
        return model == null ? provider : provider + "/" + model;
    }

    /**
     * A request to {@code baseUrl + path}. Plain-HTTP URLs speak HTTP/1.1 (no h2c upgrade is attempted); https
     * ones HTTP/2 where the server offers it. Bodies are asked for uncompressed, as they come.
     */
    Request.Builder request(String path, Map<String, String> headers) {
        HttpUrl url = urls.get(path);
        if (url == null) {
            url = HttpUrl.parse(baseUrl + path); // host names go through IDN mapping: worth doing once per path
            if (url != null && urls.size() < MAX_CACHED_URLS) {
                urls.put(path, url);
            }
        }
        if (url == null) {
            throw new ModelException(Kind.OTHER, who() + ": the base URL '" + baseUrl + "' is not a valid http(s) URL",
                    0, null, null);
        }
        Request.Builder builder = new Request.Builder().url(url).header("Accept-Encoding", "identity");
        headers.forEach(builder::header);
        return builder;
    }

    /** A JSON body; its Content-Type is the caller's header, exactly as given. */
    static RequestBody json(JsonNode body) {
        try {
            return RequestBody.create(Json.mapper().writeValueAsBytes(body), null);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response whose body is still to be read, and the watchdog over it; closing it closes the body. */
    static final class Reply implements AutoCloseable {
        private final Call call;
        private final Response response;
        private final Guard guard;

        Reply(Call call, Response response, Guard guard) {
            this.call = call;
            this.response = response;
            this.guard = guard;
        }

        int status() {
            return response.code();
        }

        /** The first value of a response header, or null. */
        String header(String name) {
            return first(response.headers(), name);
        }

        InputStream body() {
            return response.body().byteStream();
        }

        Guard guard() {
            return guard;
        }

        @Override
        public void close() {
            guard.close();
            response.close();
        }
    }

    /**
     * Sends and waits for the response headers (at most the request timeout). A non-2xx answer becomes the
     * matching {@link ModelException}; a 2xx answer is returned with its body still to read, under the request
     * timeout until its first bytes arrive.
     */
    Reply send(Request request) {
        AtomicReference<Call> current = new AtomicReference<>(traced(request));
        Guard guard = new Guard(() -> current.get().cancel(), requestTimeout, idleTimeout);
        Response response = null;
        try {
            for (int attempt = 0; response == null; attempt++) {
                Call call = current.get();
                try {
                    response = call.execute();
                } catch (IOException e) {
                    CallTrace trace = call.request().tag(CallTrace.class);
                    if (attempt < STALE_RETRIES && trace != null && trace.staleConnection() && !guard.fired()
                            && !Thread.currentThread().isInterrupted() && !(e instanceof InterruptedIOException)) {
                        // The server had closed the pooled connection before our request: nothing reached it.
                        current.set(traced(request));
                        if (!guard.fired()) {
                            continue;
                        }
                    }
                    throw failure(e, guard, trace);
                }
            }
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        Reply reply = new Reply(current.get(), response, guard);
        int status = response.code();
        if (status / 100 != 2) {
            String body = readErrorBody(reply);
            throw httpError(status, response.headers(), body);
        }
        guard.restart(requestTimeout);
        return reply;
    }

    /** A call with its own connection trace, carrying the current W3C trace on to the provider. */
    private Call traced(Request request) {
        Request.Builder builder = request.newBuilder().tag(CallTrace.class, new CallTrace());
        Tracing.inject(builder::header);
        return http.newCall(builder.build());
    }

    private ModelException failure(IOException e, Guard guard, CallTrace trace) {
        if (guard.fired()) {
            return new ModelException(Kind.TIMEOUT, who() + ": no response from " + baseUrl + " within "
                    + seconds(requestTimeout), 0, null, e);
        }
        if (Thread.currentThread().isInterrupted()) {
            return cancelled(e);
        }
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            Thread.currentThread().interrupt(); // OkHttp cleared it while waiting on a lock: keep it for the caller
            return cancelled(e);
        }
        boolean connecting = trace != null && trace.connecting;
        if (e instanceof SocketTimeoutException && connecting) {
            return new ModelException(Kind.TIMEOUT, who() + ": could not connect to " + baseUrl + " within "
                    + seconds(Duration.ofMillis(http.connectTimeoutMillis()))
                    + " — is the server running and reachable?", 0, null, e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return new ModelException(Kind.CONNECT, who() + ": cannot connect to " + baseUrl + " ("
                    + Errors.innermostMessage(e, "connection refused") + ") — is the server running?", 0, null, e);
        }
        return new ModelException(Kind.CONNECT, who() + ": the connection to " + baseUrl
                + " failed before an answer (" + Errors.outermostMessage(e, "I/O error") + ")", 0, null, e);
    }

    ModelException cancelled(Throwable cause) {
        return new ModelException(Kind.CANCELLED, who() + ": the call was cancelled", 0, null, cause);
    }

    private String readErrorBody(Reply reply) {
        reply.guard.restart(idleTimeout);
        try (reply) {
            InputStream in = reply.body();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (out.size() < MAX_ERROR_BODY && (n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                reply.guard.touch();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The exception for an HTTP error answer, with the provider's own explanation from the body. */
    ModelException httpError(int status, Headers headers, String body) {
        ErrorDetail detail = ErrorDetail.parse(body);
        Duration retryAfter = retryAfter(headers);
        String because = detail.isEmpty() ? "" : " (" + detail + ")";
        Kind kind;
        String what;
        if (status == 401 || status == 403) {
            kind = Kind.AUTH;
            what = (status == 401 ? "the provider rejected the API key" : "the API key lacks permission") + because
                    + (hasApiKey ? " — check the API key configured for provider '" + provider + "'"
                    : " — no API key is configured for provider '" + provider + "'; set one");
        } else if (status == 404 && model == null) {
            kind = Kind.NOT_FOUND;
            what = "not found at " + baseUrl + because + " — check the base URL";
        } else if (status == 404) {
            kind = Kind.NOT_FOUND;
            what = "model '" + model + "' is unknown to provider '" + provider + "' at " + baseUrl + because
                    + " — check the model name (`steward models` lists what the provider serves) and the base URL";
        } else if (status == 429) {
            kind = Kind.RATE_LIMITED;
            what = "rate limited" + because;
        } else if (status == 408) {
            kind = Kind.TIMEOUT;
            what = "the provider timed out the request" + because;
        } else if (status == 409 || status >= 500) {
            kind = Kind.UNAVAILABLE;
            what = (status == 529 ? "the provider is overloaded" : "the provider failed") + because;
        } else if (status / 100 == 3) {
            kind = Kind.BAD_REQUEST;
            what = "redirected to " + java.util.Objects.requireNonNullElse(first(headers, "location"), "another address")
                    + " — set the base URL of provider '" + provider + "' to where it points";
        } else {
            kind = Kind.BAD_REQUEST;
            what = "the provider rejected the request" + because;
        }
        String wait = retryAfter == null ? "" : "; retry after " + seconds(retryAfter);
        return new ModelException(kind, who() + ": HTTP " + status + ", " + what + wait, status, retryAfter, null);
    }

    /** OpenAI sends retry-after-ms as well as Retry-After; the finer one wins. */
    static Duration retryAfter(Headers headers) {
        String millis = first(headers, "retry-after-ms");
        if (millis != null) {
            try {
                double ms = Double.parseDouble(millis.strip());
                if (ms >= 0) {
                    return Duration.ofMillis(Math.round(ms));
                }
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        return ModelException.parseRetryAfter(first(headers, "retry-after"), Instant.now());
    }

    /** The first value of a header (OkHttp's own {@code get} gives the last). */
    static String first(Headers headers, String name) {
        List<String> values = headers.values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    ModelException malformed(String what, String text, Throwable cause) {
        return new ModelException(Kind.MALFORMED, who() + ": unreadable answer from " + baseUrl + ": " + what
                + (text == null || text.isEmpty() ? "" : " (starts: " + excerpt(text, 120) + ")"), 0, null, cause);
    }

    static String excerpt(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    /** Reads a whole (non-streamed) body under the idle timeout. */
    String readBody(Reply reply) {
        Bytes body = readBytes(reply);
        return new String(body.array(), 0, body.size(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a whole (non-streamed) JSON body under the idle timeout and parses it from its bytes, or throws
     * {@link Kind#MALFORMED}. The bytes are decoded to text only to quote a body that is not JSON: a proxied answer
     * costs one copy, not a copy, a decode to a String and Jackson reading the String back.
     */
    JsonNode readJson(Reply reply, String what) {
        Bytes body = readBytes(reply);
        try {
            JsonNode node = Json.mapper().readTree(body.array(), 0, body.size());
            if (node == null || node.isMissingNode()) {
                throw malformed(what + " is empty", "", null);
            }
            return node;
        } catch (IOException e) {
            throw malformed(what + " is not JSON", new String(body.array(), 0, body.size(), StandardCharsets.UTF_8), e);
        }
    }

    /** The first {@code size} bytes of {@code array}. */
    private record Bytes(byte[] array, int size) {}

    /** The body's bytes, read into one array sized by its Content-Length when it has one. */
    private Bytes readBytes(Reply reply) {
        Guard guard = reply.guard;
        try (reply) {
            InputStream in = reply.body();
            long length = reply.response.body().contentLength();
            byte[] buffer = new byte[length > 0 && length <= MAX_PRESIZED_BODY ? (int) length + 1 : 16 * 1024];
            int size = 0;
            int n;
            while ((n = in.read(buffer, size, buffer.length - size)) >= 0) {
                size += n;
                guard.touch();
                if (size == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            if (guard.fired()) {
                throw stalled(guard, "the answer");
            }
            return new Bytes(buffer, size);
        } catch (IOException e) {
            if (guard.fired()) {
                throw stalled(guard, "the answer");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled(e);
            }
            throw new ModelException(Kind.STREAM_BROKEN, who() + ": the connection broke while reading the answer ("
                    + Errors.outermostMessage(e, "I/O error") + ")", 0, null, e);
        }
    }

    ModelException stalled(Guard guard, String what) {
        return new ModelException(Kind.STALLED, who() + ": " + what + " stalled: nothing arrived for "
                + seconds(guard.lastWait()), 0, null, null);
    }

    /** Parses JSON the provider sent, or throws {@link Kind#MALFORMED}. */
    JsonNode parseJson(String text, String what) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || node.isMissingNode()) {
                throw malformed(what + " is empty", text, null);
            }
            return node;
        } catch (IOException e) {
            throw malformed(what + " is not JSON", text, e);
        }
    }
}
