package dev.steward.router;

import java.util.function.Consumer;

/**
 * A language model: the offline model and every provider implement this. Messages and tool definitions in;
 * text, tool calls and token usage out.
 */
public interface ChatModel {

    /** The model's name as users see it, such as {@code offline} or {@code gpt-4o-mini}. */
    String name();

    /** The provider that serves it, such as {@code offline}, {@code openai} or {@code ollama}. */
    String provider();

    ChatResponse chat(ChatRequest request) throws ModelException;

    /**
     * Like {@link #chat}, handing each piece of the answer to {@code onChunk} as it arrives. Providers that can
     * stream override this; the whole answer is still returned at the end.
     */
    default ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) throws ModelException {
        ChatResponse response = chat(request);
        if (!response.text().isEmpty()) {
            onChunk.accept(ChatChunk.text(response.text()));
        }
        return response;
    }
}
