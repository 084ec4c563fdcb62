package dev.steward.integrations.documents;

/** A document that cannot be read or written; the message names the file and what to do. */
public final class DocumentException extends RuntimeException {
    public DocumentException(String message) {
        super(message);
    }
}
