package dev.steward.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steward.support.PrivacyFilter;

/**
 * {@link PrivacyFilter#redact} with its recent answers kept. A run redacts every text of its record at each checkpoint,
 * and they are mostly the same texts again (the memory context, the message, the skills list): redacting them anew
 * was a seventh of a chat's Java time. Redaction is a pure function of the text, so an answer kept is the answer.
 * Thread-safe.
 */
final class Redactions {
    /** Texts shorter than this are redacted every time: its patterns cost no more than a lookup there. */
    static final int CACHED_FROM = 64;
    /** Recent texts with their redactions, up to about this many characters of both. */
    static final long CACHED_CHARS = 8_000_000;

    private final PrivacyFilter privacy;
    private final Cache<String, String> recent = Caffeine.newBuilder().maximumWeight(CACHED_CHARS)
            .weigher((String text, String redacted) -> text.length() + redacted.length()).build();

    Redactions(PrivacyFilter privacy) {
        this.privacy = privacy;
    }

    String redact(String text) {
        return text == null || text.length() < CACHED_FROM ? privacy.redact(text) : recent.get(text, privacy::redact);
    }
}
