package dev.steward.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document's text into the sections search finds and answers cite: a new chunk at every heading, and a long
 * section cut at paragraph (else sentence) boundaries, so that a chunk stays short enough to embed and to quote.
 */
final class KnowledgeChunks {
    /** About 300 tokens: long enough for a paragraph with its point, short enough for the embedder's window. */
    static final int MAX_CHARS = 1200;
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

    /** One chunk: its place in the document (0, 1, …), the headings above it ("Terms > Payment"), its text. */
    record Chunk(int position, String section, String body) {}

    private KnowledgeChunks() {}

    /** The document's title: its first heading, or the given fallback (the file's name) when it has none. */
    static String title(String text, String fallback) {
        for (String line : text.split("\n", 200)) {
            Matcher m = HEADING.matcher(line.strip());
            if (m.matches()) {
                return m.group(2);
            }
        }
        return fallback;
    }

    static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        List<String> path = new ArrayList<>(); // the headings above the current line, one per level
        StringBuilder body = new StringBuilder();
        for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            Matcher m = HEADING.matcher(line.strip());
            if (m.matches()) {
                flush(chunks, section(path), body);
                int level = m.group(1).length();
                while (path.size() >= level) {
                    path.removeLast();
                }
                while (path.size() < level - 1) {
                    path.add(""); // a ### under a # has no ## above it
                }
                path.add(m.group(2));
            } else {
                body.append(line).append('\n');
            }
        }
        flush(chunks, section(path), body);
        return chunks;
    }

    private static String section(List<String> path) {
        return String.join(" > ", path.stream().filter(s -> !s.isBlank()).toList());
    }

    private static void flush(List<Chunk> chunks, String section, StringBuilder body) {
        String text = body.toString().strip();
        body.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        for (String piece : pieces(text)) {
            chunks.add(new Chunk(chunks.size(), section, piece));
        }
    }

    /** The section's text in pieces of at most {@link #MAX_CHARS}, cut between paragraphs, else sentences, else words. */
    private static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String unit : units(text)) {
            if (current.length() > 0 && current.length() + unit.length() + 2 > MAX_CHARS) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
            current.append(unit).append("\n\n");
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** Paragraphs, with any longer than a chunk split into sentences, and any such sentence into word runs. */
    private static List<String> units(String text) {
        List<String> units = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            if (paragraph.isBlank()) {
                continue;
            }
            if (paragraph.length() <= MAX_CHARS) {
                units.add(paragraph.strip());
                continue;
            }
            for (String sentence : paragraph.split("(?<=[.!?])\\s+")) {
                for (int start = 0; start < sentence.length(); start += MAX_CHARS) {
                    units.add(sentence.substring(start, Math.min(sentence.length(), start + MAX_CHARS)).strip());
                }
            }
        }
        return units;
    }
}
