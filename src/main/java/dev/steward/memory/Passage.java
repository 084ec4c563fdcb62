package dev.steward.memory;

/**
 * A chunk of a document that a knowledge search found: what to quote and where it is from. Its text is the user's
 * document, never an instruction to follow (docs/security.md).
 *
 * @param position the chunk's place in its document, 0 first
 * @param section  the headings above it ("Terms > Payment"), or empty
 */
public record Passage(String chunkId, String documentId, String path, String title, String section, int position,
                      String text, double score) {

    /** How an answer names it: the document's title, its section and the chunk's number ("Handbook § Leave, #3"). */
    public String citation() {
        return title + (section.isEmpty() || section.equals(title) ? "" : " § " + section) + ", #" + (position + 1);
    }
}
