package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.support.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP plumbing every provider shares: one endpoint (provider, model, base URL, timeouts), sending with the
 * request timeout, reading bodies and SSE streams under an idle timeout, and turning every failure into a
 * {@link ModelException} whose message names the provider, the model and what happened.
 *
 * <p>Timeouts: the request timeout runs until the response headers arrive, and again until the first bytes of
 * the body (a streaming server may send headers at once and then think); after that, a silence longer than the
 * idle timeout fails the call as {@link Kind#STALLED}. Time the caller spends handling a chunk does not count.
 */
final class ProviderHttp {
    /** Error bodies are read up to this size; the rest is not worth the wait. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "steward-provider-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    final String provider;
    final String model;
    final String baseUrl;
    final boolean hasApiKey;
    private final HttpClient http;
    final Duration requestTimeout;
    final Duration idleTimeout;

    ProviderHttp(String provider, String model, String baseUrl, boolean hasApiKey, HttpClient http,
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

    /** A request to {@code baseUrl + path}; plain-HTTP URLs use HTTP/1.1 so that no h2c upgrade is attempted. */
    HttpRequest.Builder request(String path, Map<String, String> headers) {
        URI uri;
        HttpRequest.Builder builder;
        try {
            uri = URI.create(baseUrl + path);
            builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        } catch (IllegalArgumentException e) {
            throw new ModelException(Kind.OTHER, who() + ": the base URL '" + baseUrl + "' is not a valid http(s) URL",
                    0, null, e);
        }
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(builder::header);
        return builder;
    }

    static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8);
    }

    /**
     * Sends and waits for the response headers (at most the request timeout). A non-2xx answer becomes the
     * matching {@link ModelException}; a 2xx answer is returned with its body still to read.
     */
    HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new ModelException(Kind.TIMEOUT, who() + ": could not connect to " + baseUrl + " within "
                    + seconds(requestTimeout) + " — is the server running and reachable?", 0, null, e);
        } catch (HttpTimeoutException e) {
            throw new ModelException(Kind.TIMEOUT, who() + ": no response from " + baseUrl + " within "
                    + seconds(requestTimeout), 0, null, e);
        } catch (ConnectException e) {
            throw new ModelException(Kind.CONNECT, who() + ": cannot connect to " + baseUrl + " ("
                    + describe(e, "connection refused") + ") — is the server running?", 0, null, e);
        } catch (IOException e) {
            throw new ModelException(Kind.CONNECT, who() + ": the connection to " + baseUrl
                    + " failed before an answer (" + describe(e, "I/O error") + ")", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = readErrorBody(response.body());
            throw httpError(status, response.headers(), body);
        }
        return response;
    }

    ModelException cancelled(Throwable cause) {
        return new ModelException(Kind.CANCELLED, who() + ": the call was cancelled", 0, null, cause);
    }

    private String readErrorBody(InputStream in) {
        try (in; Guard guard = new Guard(in, idleTimeout, idleTimeout)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (out.size() < MAX_ERROR_BODY && (n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                guard.touch();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The exception for an HTTP error answer, with the provider's own explanation from the body. */
    ModelException httpError(int status, HttpHeaders headers, String body) {
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
            what = "redirected to " + headers.firstValue("location").orElse("another address")
                    + " — set the base URL of provider '" + provider + "' to where it points";
        } else {
            kind = Kind.BAD_REQUEST;
            what = "the provider rejected the request" + because;
        }
        String wait = retryAfter == null ? "" : "; retry after " + seconds(retryAfter);
        return new ModelException(kind, who() + ": HTTP " + status + ", " + what + wait, status, retryAfter, null);
    }

    /** OpenAI sends retry-after-ms as well as Retry-After; the finer one wins. */
    static Duration retryAfter(HttpHeaders headers) {
        var millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().strip());
                if (ms >= 0) {
                    return Duration.ofMillis(Math.round(ms));
                }
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        return ModelException.parseRetryAfter(headers.firstValue("retry-after").orElse(null), Instant.now());
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

    private static String describe(Throwable e, String fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return fallback;
    }

    /** Reads a whole (non-streamed) body under the idle timeout. */
    String readBody(HttpResponse<InputStream> response) {
        InputStream in = response.body();
        Guard guard = new Guard(in, requestTimeout, idleTimeout);
        try (in; guard) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                guard.touch();
            }
            if (guard.fired()) {
                throw stalled(guard, "the answer");
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (guard.fired()) {
                throw stalled(guard, "the answer");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled(e);
            }
            throw new ModelException(Kind.STREAM_BROKEN, who() + ": the connection broke while reading the answer ("
                    + describe(e, "I/O error") + ")", 0, null, e);
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

    /** One server-sent event: the {@code event:} name (null if none) and the joined {@code data:} lines. */
    record SseEvent(String event, String data) {}

    /**
     * Reads server-sent events from a streamed body: the first event may take up to the request timeout, every
     * later line at most the idle timeout, else the body is closed and the read fails as {@link Kind#STALLED}.
     */
    final class SseStream implements AutoCloseable {
        private final InputStream in;
        private final BufferedReader reader;
        private final Guard guard;
        private int events;

        SseStream(HttpResponse<InputStream> response) {
            this.in = response.body();
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.guard = new Guard(in, requestTimeout, idleTimeout);
        }

        /** The next event, or null when the body ended (an unfinished event at the end is dropped, as SSE says). */
        SseEvent next() {
            guard.resume();
            String event = null;
            StringBuilder data = null;
            while (true) {
                String line;
                try {
                    line = reader.readLine();
                } catch (IOException e) {
                    throw failure(e);
                }
                if (guard.fired()) {
                    throw stalled(guard, "the stream after " + events + " events");
                }
                guard.touch();
                if (line == null) {
                    return null;
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        events++;
                        guard.hold();
                        return new SseEvent(event, data.toString());
                    }
                    event = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                } else if (field.equals("event")) {
                    event = value;
                }
            }
        }

        int events() {
            return events;
        }

        ModelException ended() {
            return new ModelException(Kind.STREAM_BROKEN, who() + ": the stream ended before the answer was complete"
                    + " (after " + events + " events)", 0, null, null);
        }

        private ModelException failure(IOException e) {
            if (guard.fired()) {
                return stalled(guard, "the stream after " + events + " events");
            }
            if (Thread.currentThread().isInterrupted()) {
                return cancelled(e);
            }
            return new ModelException(Kind.STREAM_BROKEN, who() + ": the stream broke after " + events + " events ("
                    + describe(e, "I/O error") + ")", 0, null, e);
        }

        @Override
        public void close() {
            guard.close();
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more to read anyway
            }
        }
    }

    /**
     * A watchdog over a response body: if nothing is read before the deadline, it closes the body, which wakes the
     * blocked reader; {@link #fired()} then tells a stall from a broken connection.
     */
    static final class Guard implements AutoCloseable {
        private final InputStream in;
        private final Duration idle;
        private volatile long deadline;
        private volatile long waitNanos;
        private volatile boolean fired;
        private volatile boolean closed;
        private volatile boolean held;
        private boolean touched;
        private ScheduledFuture<?> pending;

        Guard(InputStream in, Duration first, Duration idle) {
            this.in = in;
            this.idle = idle;
            this.waitNanos = first.toNanos();
            this.deadline = System.nanoTime() + waitNanos;
            schedule(waitNanos);
        }

        /** Something arrived: the next read has the idle timeout from now. */
        void touch() {
            boolean first = !touched;
            touched = true;
            waitNanos = idle.toNanos();
            deadline = System.nanoTime() + waitNanos;
            held = false;
            if (first) {
                reschedule(waitNanos); // the first wait may have been longer than the idle timeout
            }
        }

        /** The caller is busy with what it read (not waiting on the provider) until the next {@link #touch()}. */
        void hold() {
            held = true;
        }

        /** Back to waiting on the provider after a {@link #hold()}: the current timeout runs again from now. */
        void resume() {
            if (held) {
                deadline = System.nanoTime() + waitNanos;
                held = false;
            }
        }

        boolean fired() {
            return fired;
        }

        Duration lastWait() {
            return Duration.ofNanos(waitNanos);
        }

        private synchronized void reschedule(long nanos) {
            if (pending != null) {
                pending.cancel(false);
            }
            schedule(nanos);
        }

        private synchronized void schedule(long nanos) {
            if (!closed) {
                pending = WATCHDOG.schedule(this::check, Math.max(nanos, 1_000_000), TimeUnit.NANOSECONDS);
            }
        }

        private void check() {
            if (closed) {
                return;
            }
            long left = held ? idle.toNanos() : deadline - System.nanoTime();
            if (left > 0) {
                schedule(left);
                return;
            }
            fired = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader wakes up either way
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

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
                return new ErrorDetail(null, null, excerpt(body, 200));
            }
            if (node == null || !node.isObject()) {
                return new ErrorDetail(null, null, excerpt(body, 200));
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
                return new ErrorDetail(null, null, detail.isTextual() ? detail.asText() : excerpt(detail.toString(), 200));
            }
            return new ErrorDetail(null, null, excerpt(node.toString(), 200));
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
}
