package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link ChatModel} for tests: it replays a script of steps — answers, tool calls, failures, a block until
 * interrupted — one step per call, and records every request it saw. Unlike the {@link OfflineModel} it understands
 * nothing; it says what the test told it to say.
 *
 * <pre>{@code
 * ScriptedModel model = new ScriptedModel()
 *         .thenCall("echo", "{\"text\":\"hi\"}")
 *         .thenAnswer("It said hi.");
 * }</pre>
 *
 * Each call takes the next step not yet played. When the script runs out the model fails the call with an
 * {@link IllegalStateException} naming the call, unless {@link #repeatingLast()} or {@link #echoingWhenSpent()} was
 * asked for. A step may be added at any time, also after calls, so that one model serves a whole test class.
 * Thread-safe: the agent may run on another thread than the test.
 */
public final class ScriptedModel implements ChatModel {
    /** The usage every scripted step reports unless told otherwise. */
    public static final Usage DEFAULT_USAGE = new Usage(10, 5);

    /** A step that plays a call itself: streams what it likes, then answers or throws. */
    @FunctionalInterface
    public interface Script {
        ChatResponse play(ChatRequest request, Consumer<ChatChunk> out);
    }

    private sealed interface Step permits Reply, Played, Fail, Block {}

    private record Reply(ChatResponse response) implements Step {}

    private record Played(Script script) implements Step {}

    private record Fail(RuntimeException error) implements Step {}

    private record Block() implements Step {}

    private final String name;
    private final String provider;
    private final List<Step> script = new ArrayList<>();
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch blocked = new CountDownLatch(1);
    private int played;
    private boolean repeatLast;
    private boolean echo;
    private int toolCallIds;

    public ScriptedModel() {
        this("scripted", "test");
    }

    public ScriptedModel(String name, String provider) {
        this.name = name;
        this.provider = provider;
    }

    /** Next, answer with this text. */
    public ScriptedModel thenAnswer(String text) {
        return thenAnswer(text, DEFAULT_USAGE);
    }

    public ScriptedModel thenAnswer(String text, Usage usage) {
        return then(new ChatResponse(text, List.of(), usage, name, ChatResponse.FinishReason.STOP));
    }

    /** Next, call one tool with these JSON arguments; the call ids are {@code call_1}, {@code call_2}, … */
    public synchronized ScriptedModel thenCall(String tool, String jsonArguments) {
        return thenCall(new ToolCall(nextCallId(), tool, Json.parse(jsonArguments)));
    }

    /** Next, call these tools in one turn. */
    public ScriptedModel thenCall(ToolCall... calls) {
        return thenCall(DEFAULT_USAGE, calls);
    }

    public ScriptedModel thenCall(Usage usage, ToolCall... calls) {
        return then(new ChatResponse("", List.of(calls), usage, name, ChatResponse.FinishReason.TOOL_CALLS));
    }

    /** Next, return exactly this response. */
    public synchronized ScriptedModel then(ChatResponse response) {
        script.add(new Reply(response));
        return this;
    }

    /** Next, stream these pieces one by one and answer their concatenation; 12 tokens in, one per piece out. */
    public synchronized ScriptedModel thenStream(String... pieces) {
        ChatResponse response = new ChatResponse(String.join("", pieces), List.of(), new Usage(12, pieces.length), name,
                ChatResponse.FinishReason.STOP);
        return thenPlay((request, out) -> {
            for (String piece : pieces) {
                out.accept(ChatChunk.text(piece));
            }
            return response;
        });
    }

    /** Next, stream one tool call as providers do: id and name first, then its arguments in two fragments. */
    public synchronized ScriptedModel thenStreamCall(String id, String tool, String jsonArguments) {
        int half = jsonArguments.length() / 2;
        ChatResponse response = new ChatResponse("", List.of(new ToolCall(id, tool, Json.parse(jsonArguments))),
                new Usage(30, 9), name, ChatResponse.FinishReason.TOOL_CALLS);
        return thenPlay((request, out) -> {
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, id, tool, ""))));
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, null, null, jsonArguments.substring(0, half)))));
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, null, null, jsonArguments.substring(half)))));
            return response;
        });
    }

    /** Next, stream one piece of text and then fail, as a connection that breaks mid-answer. */
    public synchronized ScriptedModel thenBreakOff(String piece, String message) {
        return thenPlay((request, out) -> {
            out.accept(ChatChunk.text(piece));
            throw new ModelException(message, false);
        });
    }

    /** Next, let this script play the call: for a test that must control when each chunk goes out. */
    public synchronized ScriptedModel thenPlay(Script played) {
        script.add(new Played(played));
        return this;
    }

    /** Next, fail as a provider does: with a {@link ModelException}. */
    public ScriptedModel thenFail(String message) {
        return thenThrow(new ModelException(message, false));
    }

    /** Next, throw this, which may be any runtime exception, such as a bug in a provider. */
    public synchronized ScriptedModel thenThrow(RuntimeException error) {
        script.add(new Fail(error));
        return this;
    }

    /**
     * Next, block until the calling thread is interrupted, then fail with a {@link ModelException} and the thread's
     * interrupt flag set again, as a provider waiting on the network does. {@link #awaitBlocked} sees it block.
     */
    public synchronized ScriptedModel thenBlockUntilInterrupted() {
        script.add(new Block());
        return this;
    }

    /** Once the script is spent, repeat its last step forever (a model that never stops calling tools). */
    public synchronized ScriptedModel repeatingLast() {
        repeatLast = true;
        return this;
    }

    /** Once the script is spent, answer {@code echo: } and the last user message, streamed whole. */
    public synchronized ScriptedModel echoingWhenSpent() {
        echo = true;
        return this;
    }

    /** Makes a tool call with the next scripted call id, to build multi-call turns. */
    public synchronized ToolCall call(String tool, String jsonArguments) {
        return new ToolCall(nextCallId(), tool, Json.parse(jsonArguments));
    }

    private String nextCallId() {
        return "call_" + (++toolCallIds);
    }

    /** The requests this model was sent, oldest first. */
    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    public ChatRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the scripted model was never called");
        }
        return requests.get(requests.size() - 1);
    }

    public int calls() {
        return requests.size();
    }

    /** Waits until a call is blocked in {@link #thenBlockUntilInterrupted()}; false if none was in time. */
    public boolean awaitBlocked(Duration timeout) throws InterruptedException {
        return blocked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return play(next(request), request, chunk -> {});
    }

    /** Streams a scripted answer word by word, as real providers hand out text in chunks, or as the step says. */
    @Override
    public ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        Step step = next(request);
        if (step instanceof Reply(ChatResponse response)) {
            for (String chunk : response.text().split("(?<= )")) {
                if (!chunk.isEmpty()) {
                    onChunk.accept(ChatChunk.text(chunk));
                }
            }
        }
        return play(step, request, onChunk);
    }

    private ChatResponse play(Step step, ChatRequest request, Consumer<ChatChunk> onChunk) {
        return switch (step) {
            case Reply reply -> reply.response();
            case Played played -> played.script().play(request, onChunk);
            case Fail fail -> throw fail.error();
            case Block ignored -> block();
        };
    }

    private synchronized Step next(ChatRequest request) {
        requests.add(request);
        if (played < script.size()) {
            return script.get(played++);
        }
        if (echo) {
            String text = "echo: " + request.lastUserText();
            return new Played((r, out) -> {
                out.accept(ChatChunk.text(text));
                return new ChatResponse(text, List.of(), new Usage(12, 1), name, ChatResponse.FinishReason.STOP);
            });
        }
        if (repeatLast && !script.isEmpty()) {
            Step last = script.get(script.size() - 1);
            // A repeated tool call gets a fresh id, as a real model would give it.
            if (last instanceof Reply(ChatResponse r) && r.wantsTools()) {
                List<ToolCall> calls = r.toolCalls().stream()
                        .map(c -> new ToolCall(nextCallId(), c.name(), c.arguments())).toList();
                return new Reply(new ChatResponse(r.text(), calls, r.usage(), r.model(), r.finishReason()));
            }
            return last;
        }
        throw new IllegalStateException("the script has " + script.size() + " steps but the model was called "
                + requests.size() + " times; last message: " + lastMessage(request));
    }

    private ChatResponse block() {
        blocked.countDown();
        try {
            Thread.sleep(Duration.ofMinutes(10));
            throw new IllegalStateException("the scripted model blocked for 10 minutes and nobody interrupted it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for the model", true, e);
        }
    }

    private static String lastMessage(ChatRequest request) {
        if (request.messages().isEmpty()) {
            return "(none)";
        }
        ChatMessage last = request.messages().get(request.messages().size() - 1);
        return last.role() + " " + last.content();
    }

    /** Convenience for assertions on tool arguments. */
    public static JsonNode json(String text) {
        return Json.parse(text);
    }
}
