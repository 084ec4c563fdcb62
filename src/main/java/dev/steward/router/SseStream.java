package dev.steward.router;

import dev.steward.router.ModelException.Kind;
import dev.steward.support.Errors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads server-sent events from a streamed body: the first event may take up to the request timeout, every
 * later line at most the idle timeout, else the call is cancelled and the read fails as {@link Kind#STALLED}.
 */
final class SseStream implements AutoCloseable {
    private final ProviderHttp http;
    private final ProviderHttp.Reply reply;
    private final BufferedReader reader;
    private final Guard guard;
    private int events;

    SseStream(ProviderHttp http, ProviderHttp.Reply reply) {
        this.http = http;
        this.reply = reply;
        this.reader = new BufferedReader(new InputStreamReader(reply.body(), StandardCharsets.UTF_8));
        this.guard = reply.guard();
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
                throw http.stalled(guard, "the stream after " + events + " events");
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
        return new ModelException(Kind.STREAM_BROKEN, http.who() + ": the stream ended before the answer was complete"
                + " (after " + events + " events)", 0, null, null);
    }

    private ModelException failure(IOException e) {
        if (guard.fired()) {
            return http.stalled(guard, "the stream after " + events + " events");
        }
        if (Thread.currentThread().isInterrupted()) {
            return http.cancelled(e);
        }
        return new ModelException(Kind.STREAM_BROKEN, http.who() + ": the stream broke after " + events + " events ("
                + Errors.outermostMessage(e, "I/O error") + ")", 0, null, e);
    }

    @Override
    public void close() {
        reply.close();
    }
}
