package dev.steward.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Prompt-cache breakpoints ({@link ChatMessage#cacheable()}) as a provider that takes only so many wants them. */
final class CacheBreakpoints {
    private CacheBreakpoints() {}

    /**
     * The conversation with only its last {@code max} breakpoints kept: a later breakpoint covers a longer prefix,
     * and the provider also finds a shorter cached prefix by itself from the last one.
     */
    static List<ChatMessage> lastAllowed(List<ChatMessage> conversation, int max) {
        long marked = conversation.stream().filter(ChatMessage::cacheable).count();
        if (marked <= max) {
            return conversation;
        }
        List<ChatMessage> out = new ArrayList<>(conversation.size());
        long toDrop = marked - max;
        for (ChatMessage message : conversation) {
            if (message.cacheable() && toDrop > 0) {
                toDrop--;
                out.add(new ChatMessage(message.role(), message.content(), message.toolCalls(), message.toolCallId(),
                        message.name()));
            } else {
                out.add(message);
            }
        }
        return out;
    }

    /** Anthropic's marker on a content or system block: cache everything up to and including this block. */
    static void mark(ObjectNode block) {
        block.putObject("cache_control").put("type", "ephemeral");
    }
}
