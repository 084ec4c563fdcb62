package dev.steward.router.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The common part of the fake providers: a JDK HTTP server on 127.0.0.1 (a free port, a virtual thread per
 * exchange) that answers each request with the next scripted {@link FakeReply} (or the default reply), records
 * every request, and delivers server-sent events with the scripted trouble. Subclasses speak one wire format.
 */
public abstract class FakeHttpServer<S extends FakeHttpServer<S>> implements AutoCloseable {
    static {
        // Streamed events are small writes: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per event.
        // Read once, when the JDK server's configuration class loads, so it is set before the first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Plain Jackson, so recorded bodies are exactly what came over the wire. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedDeque<FakeReply> script = new ConcurrentLinkedDeque<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile FakeReply defaultReply = FakeReply.text("Hello from the fake server.");
    private volatile List<String> models = List.of("fake-small", "fake-large");
    private volatile String requiredApiKey;

    protected FakeHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
    }

    /** Starts answering; the subclasses' factories call it once the server is fully built. */
    protected S listen() {
        server.createContext("/", this::handle);
        server.start();
        return self();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, with no path. */
    public String rootUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The base URL a client of this provider is configured with. */
    public abstract String baseUrl();

    /** Script the next requests' replies, in order. */
    public S enqueue(FakeReply... replies) {
        script.addAll(List.of(replies));
        return self();
    }

    /** The reply when nothing is scripted. */
    public S defaultReply(FakeReply reply) {
        this.defaultReply = reply;
        return self();
    }

    /** What the model list endpoints answer. */
    public S models(String... ids) {
        this.models = List.of(ids);
        return self();
    }

    /** Refuse (401, in the provider's error format) any chat or model-list request without this key. */
    public S requireApiKey(String key) {
        this.requiredApiKey = key;
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the fake server has received no request");
        }
        return requests.get(requests.size() - 1);
    }

    protected List<String> modelIds() {
        return models;
    }

    protected String requiredApiKey() {
        return requiredApiKey;
    }

    protected FakeReply nextReply() {
        FakeReply reply = script.poll();
        return reply != null ? reply : defaultReply;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode body = null;
            if (!raw.isBlank()) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException notJson) {
                    body = null;
                }
            }
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), exchange.getRequestHeaders(), raw, body);
            requests.add(request);
            route(exchange, request);
        } catch (StopStream | IOException stopped) {
            // the script ended the exchange early, or the client went away
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    /** Answers one recorded request. */
    protected abstract void route(HttpExchange exchange, RecordedRequest request) throws IOException;

    /** The error event or line for a stream that reports an error part-way: {event name or null, data}. */
    protected abstract String[] streamError(String type, String message);

    protected void sendJson(HttpExchange exchange, int status, String body, Map<String, String> headers,
                            String contentType) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Sleeps unless the server closes first; false if it did. */
    protected boolean pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return true;
        }
        try {
            return !closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts an SSE response that plays out {@code reply}'s trouble as events are written. */
    protected Sse openSse(HttpExchange exchange, FakeReply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (reply.dieAfterEvents >= 0) {
            // Announce far more bytes than will come, and close: the client sees the connection die mid-body.
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, 1 << 20);
        } else {
            exchange.sendResponseHeaders(200, 0); // chunked
        }
        return new Sse(exchange.getResponseBody(), reply);
    }

    /** Thrown to end an exchange where the script says. */
    protected static final class StopStream extends RuntimeException {
        StopStream() {
            super(null, null, false, false);
        }
    }

    /** Writes events, and stalls, holds, reports an error, ends or dies where the reply says. */
    protected final class Sse {
        private final OutputStream out;
        private final FakeReply reply;
        private int written;

        Sse(OutputStream out, FakeReply reply) {
            this.out = out;
            this.reply = reply;
        }

        /** Writes one event (name may be null), then plays whatever trouble is due after it. */
        public void event(String name, String data) throws IOException {
            if (written > 0 && !pause(reply.chunkDelay)) {
                throw new StopStream();
            }
            write(name, data);
            written++;
            if (written == reply.holdAfterEvents) {
                try {
                    reply.gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new StopStream();
                }
            }
            if (written == reply.stallAfterEvents && !pause(reply.stall)) {
                throw new StopStream();
            }
            if (written == 1 && reply.malformedEvent != null) {
                write(null, reply.malformedEvent);
                throw new StopStream();
            }
            if (written == reply.errorAfterEvents) {
                String[] error = streamError(reply.errorType, reply.errorMessage);
                write(error[0], error[1]);
                throw new StopStream();
            }
            if (written == reply.dieAfterEvents || written == reply.endAfterEvents) {
                throw new StopStream();
            }
        }

        /** A comment line, which SSE clients ignore (keep-alive). */
        public void comment(String text) throws IOException {
            out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void write(String name, String data) throws IOException {
            StringBuilder text = new StringBuilder();
            if (name != null) {
                text.append("event: ").append(name).append('\n');
            }
            text.append("data: ").append(data).append("\n\n");
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        public int written() {
            return written;
        }
    }

    /** Splits tool-call arguments into fragments the way providers do. */
    protected static List<String> fragments(String arguments, int size) {
        return arguments.isEmpty() ? new ArrayList<>() : FakeReply.pieces(arguments, size);
    }
}
