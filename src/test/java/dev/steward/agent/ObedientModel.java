package dev.steward.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.DataFence;
import dev.steward.support.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model hijacked completely: it carries out every {@code call tool NAME with {JSON}} it reads in what came after its
 * last turn — the user's message, or the results of the tools it just called, fences and all. When it reads no
 * instruction, it answers "Done." A stand-in for the worst real model, to show that the gate, not the model's
 * judgement, keeps an injected instruction from acting.
 */
final class ObedientModel implements ChatModel {
    private static final Pattern INSTRUCTION = Pattern.compile("call tool ([A-Za-z0-9_.-]+) with ");
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public String name() {
        return "obedient";
    }

    @Override
    public String provider() {
        return "test";
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        List<ToolCall> calls = new ArrayList<>();
        for (String text : unread(request.messages())) {
            calls.addAll(instructions(text));
        }
        Usage usage = new Usage(10, 5);
        return calls.isEmpty() ? new ChatResponse("Done.", List.of(), usage, name(), ChatResponse.FinishReason.STOP)
                : new ChatResponse("", calls, usage, name(), ChatResponse.FinishReason.TOOL_CALLS);
    }

    /** What came after the model's last turn: each text, and for a tool's JSON result each string in it as well. */
    private static List<String> unread(List<ChatMessage> messages) {
        List<String> texts = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i).role() != ChatMessage.Role.ASSISTANT; i--) {
            ChatMessage message = messages.get(i);
            if (message.role() == ChatMessage.Role.SYSTEM || message.content() == null) {
                continue;
            }
            List<String> found = new ArrayList<>();
            found.add(message.content());
            try {
                collect(Json.parse(DataFence.unwrap(message.content())), found);
            } catch (RuntimeException notJson) {
                // plain text: read as it is
            }
            texts.addAll(0, found);
        }
        return texts;
    }

    private static void collect(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, into));
        }
    }

    private List<ToolCall> instructions(String text) {
        List<ToolCall> calls = new ArrayList<>();
        Matcher m = INSTRUCTION.matcher(text);
        while (m.find()) {
            try (JsonParser parser = Json.mapper().getFactory().createParser(text.substring(m.end()))) {
                JsonNode arguments = parser.readValueAsTree();
                if (arguments != null && arguments.isObject()) {
                    calls.add(new ToolCall("call_" + ids.incrementAndGet(), m.group(1), arguments));
                }
            } catch (IOException notJson) {
                // an instruction without arguments it can read: skipped, as a model would garble it
            }
        }
        return calls;
    }
}
