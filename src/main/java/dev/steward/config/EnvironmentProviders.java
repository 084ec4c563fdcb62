package dev.steward.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Providers from the environment conventions users know from other tools: OPENAI_API_KEY, OLLAMA_HOST and so on. */
final class EnvironmentProviders {
    /** scheme://[user:password@]host then an optional :port, then the rest. */
    private static final Pattern OLLAMA_URL =
            Pattern.compile("^([a-z]+://(?:[^@/]*@)?(?:\\[[^]]+]|[^:/@]+))(:\\d+)?(.*)$");

    private EnvironmentProviders() {}

    /** Adds the providers {@code env} describes; an entry here replaces a file entry of the same name. */
    static void merge(List<ProviderConfig> providers, Map<String, String> env) {
        String openAiKey = env.get("OPENAI_API_KEY");
        String openAiUrl = env.get("OPENAI_BASE_URL");
        if (notBlank(openAiKey) || notBlank(openAiUrl)) {
            put(providers, new ProviderConfig("openai", ProviderKind.OPENAI,
                    stripSlash(notBlank(openAiUrl) ? httpUrl("OPENAI_BASE_URL", openAiUrl.strip(), "http://localhost:8000/v1")
                            : defaultBaseUrl(ProviderKind.OPENAI)),
                    notBlank(openAiKey) ? openAiKey.strip() : null, List.of(),
                    notBlank(openAiKey) ? "OPENAI_API_KEY" : "OPENAI_BASE_URL"));
        }
        String anthropicKey = env.get("ANTHROPIC_API_KEY");
        if (notBlank(anthropicKey)) {
            String url = env.get("ANTHROPIC_BASE_URL");
            put(providers, new ProviderConfig("anthropic", ProviderKind.ANTHROPIC,
                    stripSlash(notBlank(url) ? httpUrl("ANTHROPIC_BASE_URL", url.strip(), "https://api.anthropic.com")
                            : defaultBaseUrl(ProviderKind.ANTHROPIC)),
                    anthropicKey.strip(), List.of(), "ANTHROPIC_API_KEY"));
        }
        String ollamaHost = env.get("OLLAMA_HOST");
        if (notBlank(ollamaHost)) {
            put(providers, new ProviderConfig("ollama", ProviderKind.OLLAMA,
                    httpUrl("OLLAMA_HOST", ollamaUrl(ollamaHost.strip()), "http://127.0.0.1:11434"), null,
                    List.of(), "OLLAMA_HOST"));
        }
    }

    /** OLLAMA_HOST is often written without a scheme or port, and 0.0.0.0 means "listen everywhere". */
    static String ollamaUrl(String host) {
        String url = host.contains("://") ? host : "http://" + host;
        url = url.replace("://0.0.0.0", "://127.0.0.1");
        Matcher parts = OLLAMA_URL.matcher(url);
        if (parts.matches() && parts.group(2) == null) {
            url = parts.group(1) + ":11434" + parts.group(3);
        }
        return stripSlash(url);
    }

    static String defaultBaseUrl(ProviderKind kind) {
        return switch (kind) {
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com";
            case OLLAMA -> "http://127.0.0.1:11434";
        };
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String httpUrl(String variable, String url, String example) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(variable, null, "'" + url + "' is not an http(s) URL", "write it like " + example);
        }
        return url;
    }

    private static void put(List<ProviderConfig> providers, ProviderConfig provider) {
        providers.removeIf(p -> p.name().equals(provider.name()));
        providers.add(provider);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
