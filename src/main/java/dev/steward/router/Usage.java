package dev.steward.router;

/** Tokens a call consumed, as the provider counted them (or estimated, for the offline model). */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }

    /** A rough count for text no tokenizer has seen: about four characters a token in English. */
    public static long estimateTokens(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + 3) / 4;
    }
}
