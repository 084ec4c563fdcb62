package dev.steward.router;

/**
 * Tokens a call consumed, as the provider counted them (or estimated, for the offline model).
 *
 * @param inputTokens      every input token, cached or not (OpenAI's {@code prompt_tokens}; Anthropic's
 *                         {@code input_tokens} plus its two cache counts)
 * @param cacheReadTokens  of those, read from the provider's prompt cache (OpenAI's
 *                         {@code prompt_tokens_details.cached_tokens}, Anthropic's {@code cache_read_input_tokens}),
 *                         billed at the cheaper cached rate
 * @param cacheWriteTokens of those, written to the provider's prompt cache (Anthropic's
 *                         {@code cache_creation_input_tokens}), billed at its cache-write rate
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        cacheReadTokens = Math.max(0, Math.min(cacheReadTokens, inputTokens));
        cacheWriteTokens = Math.max(0, Math.min(cacheWriteTokens, inputTokens - cacheReadTokens));
    }

    /** A call with no prompt cache involved. */
    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0, 0);
    }

    /** Input tokens billed at the full input rate. */
    public long uncachedInputTokens() {
        return inputTokens - cacheReadTokens - cacheWriteTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens);
    }

    /** A rough count for text no tokenizer has seen: about four characters a token in English. */
    public static long estimateTokens(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + 3) / 4;
    }
}
