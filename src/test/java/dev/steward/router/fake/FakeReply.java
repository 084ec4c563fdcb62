package dev.steward.router.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What a fake server does with one request, in either wire format: the answer (text, tool calls, usage), how it
 * is delivered (chunk size for streams), and what goes wrong (an HTTP error, a delay before the headers, a
 * malformed body, a stream that dies, ends early, stalls, or reports an error part-way). Whether the answer is
 * streamed follows the request's {@code "stream"} field, as a real server does.
 *
 * <p>Events are counted from the first one the server writes (OpenAI: the role chunk; Anthropic:
 * {@code message_start}); "after 3 events" means three are written and flushed before the trouble starts.
 */
public final class FakeReply {
    /** A tool call to answer with; {@code argumentsJson} is sent verbatim (it need not be valid JSON). */
    public record Call(String id, String name, String argumentsJson) {}

    String text = "";
    final List<Call> toolCalls = new ArrayList<>();
    long inputTokens = 12;
    long outputTokens = 7;
    long cachedTokens;
    String finishReason;
    String model;
    int status = 200;
    String rawBody;
    String contentType = "application/json";
    final Map<String, String> headers = new LinkedHashMap<>();
    Duration delayBeforeHeaders = Duration.ZERO;
    int chunkSize = 4;
    Duration chunkDelay = Duration.ZERO;
    int dieAfterEvents = -1;
    int endAfterEvents = -1;
    int stallAfterEvents = -1;
    Duration stall = Duration.ZERO;
    int holdAfterEvents = -1;
    CountDownLatch gate;
    String malformedEvent;
    int errorAfterEvents = -1;
    String errorType;
    String errorMessage;
    boolean ignoreStream;

    private FakeReply() {}

    public static FakeReply text(String text) {
        FakeReply reply = new FakeReply();
        reply.text = text;
        return reply;
    }

    /** A JSON answer: just text that happens to be JSON, as a model in JSON mode gives it. */
    public static FakeReply json(String json) {
        return text(json);
    }

    public static FakeReply toolCall(String id, String name, String argumentsJson) {
        return new FakeReply().andToolCall(id, name, argumentsJson);
    }

    /** An HTTP error with this body (use the servers' {@code error(...)} factories for realistic bodies). */
    public static FakeReply status(int status, String body) {
        FakeReply reply = new FakeReply();
        reply.status = status;
        reply.rawBody = body;
        return reply;
    }

    /** 200 with a body that is not what the API promises; streamed, that body arrives as one event's data. */
    public static FakeReply malformed(String body) {
        FakeReply reply = new FakeReply();
        reply.rawBody = body;
        reply.malformedEvent = body;
        return reply;
    }

    public FakeReply andToolCall(String id, String name, String argumentsJson) {
        toolCalls.add(new Call(id, name, argumentsJson));
        return this;
    }

    public FakeReply withText(String text) {
        this.text = text;
        return this;
    }

    public FakeReply usage(long inputTokens, long outputTokens) {
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        return this;
    }

    /** OpenAI: of the input tokens, how many it reports read from its prompt cache ({@code cached_tokens}). */
    public FakeReply cachedTokens(long cached) {
        this.cachedTokens = cached;
        return this;
    }

    /** The provider's own finish/stop reason, instead of the one that follows from the answer. */
    public FakeReply finishReason(String reason) {
        this.finishReason = reason;
        return this;
    }

    public FakeReply model(String model) {
        this.model = model;
        return this;
    }

    public FakeReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public FakeReply contentType(String contentType) {
        this.contentType = contentType;
        return this;
    }

    /** Wait this long before sending the response headers (a slow or hung provider). */
    public FakeReply delay(Duration delay) {
        this.delayBeforeHeaders = delay;
        return this;
    }

    /** Characters of text (and of tool arguments) per streamed event. */
    public FakeReply chunkSize(int chars) {
        this.chunkSize = Math.max(1, chars);
        return this;
    }

    /** Pause between streamed events, for realistic pacing in benchmarks. */
    public FakeReply chunkDelay(Duration delay) {
        this.chunkDelay = delay;
        return this;
    }

    /** Abruptly close the connection after this many events (the client sees fewer bytes than announced). */
    public FakeReply dieAfter(int events) {
        this.dieAfterEvents = events;
        return this;
    }

    /** End the response cleanly after this many events, without the stream's proper end. */
    public FakeReply endAfter(int events) {
        this.endAfterEvents = events;
        return this;
    }

    /** Go silent for {@code duration} after this many events, then carry on. */
    public FakeReply stallAfter(int events, Duration duration) {
        this.stallAfterEvents = events;
        this.stall = duration;
        return this;
    }

    /** Wait for {@code gate} after this many events (at most 10 s), so a test can prove chunks arrive early. */
    public FakeReply holdAfter(int events, CountDownLatch gate) {
        this.holdAfterEvents = events;
        this.gate = gate;
        return this;
    }

    /** Report an error in the stream after this many events (Anthropic's {@code error} event; OpenAI-style servers send {"error":{..}}). */
    public FakeReply errorAfter(int events, String type, String message) {
        this.errorAfterEvents = events;
        this.errorType = type;
        this.errorMessage = message;
        return this;
    }

    /** Answer as a whole JSON body even when the request asked for a stream (some servers do). */
    public FakeReply ignoreStream() {
        this.ignoreStream = true;
        return this;
    }

    boolean isError() {
        return status != 200;
    }

    /** {@code text} in pieces of {@code chunkSize}. */
    static List<String> pieces(String text, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }
}
