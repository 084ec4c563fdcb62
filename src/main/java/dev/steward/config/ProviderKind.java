package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The wire format a provider speaks. */
public enum ProviderKind {
    /** OpenAI's chat completions: OpenAI, vLLM, LM Studio, LiteLLM, any compatible server. */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC,
    /** Ollama's OpenAI-compatible endpoint, with its model list discovered. */
    OLLAMA;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
