package dev.steward.memory;

import java.nio.file.Path;

/**
 * Reads a file of the knowledge base as Markdown-like text ({@code #} headings, paragraphs separated by blank lines).
 * Memory does not know file formats: the application wires in a reader that does (docx, pdf, html, …).
 */
public interface DocumentReader {

    /** Whether this reader reads files like this one (by its name); a folder's other files are passed over. */
    boolean reads(Path file);

    /**
     * The text of a file.
     *
     * @throws Unreadable whose message names the file, what is wrong with it and what to do
     */
    String read(Path file);

    /** A file that cannot be read as what its name says: it is skipped, and the rest are indexed. */
    final class Unreadable extends RuntimeException {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
