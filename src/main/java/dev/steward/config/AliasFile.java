package dev.steward.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Points one routing alias at a model in steward.yaml by editing only its line (adding {@code routing:} and
 * {@code aliases:} if they are missing), or sets one plain {@code routing.*} setting the same way: every other line
 * and comment stays as written. The result is loaded as Steward would load it before it replaces the file, so the file
 * is never left broken.
 */
public final class AliasFile {
    private static final Pattern ROUTING = Pattern.compile("^routing\\s*:\\s*(#.*)?$");
    private static final Pattern ALIASES = Pattern.compile("^(\\s+)aliases\\s*:\\s*(#.*)?$");

    private AliasFile() {}

    /** Rewrites {@code file} so that {@code alias} points at {@code model}. */
    public static void point(Path file, String alias, String model) {
        rewrite(file, text -> pointed(text, alias, model));
    }

    /** Rewrites {@code file} so that {@code routing.KEY} is {@code value} (a timeout, the retries). */
    public static void setRouting(Path file, String key, String value) {
        rewrite(file, text -> routingSet(text, key, value));
    }

    private static void rewrite(Path file, java.util.function.UnaryOperator<String> edit) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            String changed = edit.apply(text);
            new ConfigLoader(System.getenv()).parseForCheck(file.getParent(), file, changed);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, changed, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    /** The text with the alias's line set (or added). */
    static String pointed(String text, String alias, String model) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        String entry = alias + ": " + model;
        int routing = indexOf(lines, 0, lines.size(), ROUTING);
        if (routing < 0) {
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            lines.addAll(List.of("routing:", "  aliases:", "    " + entry, ""));
            return String.join("\n", lines);
        }
        int end = blockEnd(lines, routing, 0);
        int aliases = indexOf(lines, routing + 1, end, ALIASES);
        if (aliases < 0) {
            String indent = childIndent(lines, routing, end, "  ");
            lines.add(routing + 1, indent + "aliases:");
            lines.add(routing + 2, indent + "  " + entry);
            return String.join("\n", lines);
        }
        int aliasesIndent = indentOf(lines.get(aliases));
        int aliasesEnd = blockEnd(lines, aliases, aliasesIndent);
        Pattern line = Pattern.compile("^(\\s+)" + Pattern.quote(alias) + "\\s*:.*$");
        int existing = indexOf(lines, aliases + 1, aliasesEnd, line);
        String indent = childIndent(lines, aliases, aliasesEnd, " ".repeat(aliasesIndent + 2));
        if (existing >= 0) {
            lines.set(existing, " ".repeat(indentOf(lines.get(existing))) + entry);
        } else {
            lines.add(aliases + 1, indent + entry);
        }
        return String.join("\n", lines);
    }

    /** The text with {@code routing.KEY} set (or added as the first line of the routing block). */
    static String routingSet(String text, String key, String value) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        String entry = key + ": " + value;
        int routing = indexOf(lines, 0, lines.size(), ROUTING);
        if (routing < 0) {
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            lines.addAll(List.of("routing:", "  " + entry, ""));
            return String.join("\n", lines);
        }
        int end = blockEnd(lines, routing, 0);
        String indent = childIndent(lines, routing, end, "  ");
        int existing = indexOf(lines, routing + 1, end, Pattern.compile("^" + indent + Pattern.quote(key) + "\\s*:.*$"));
        if (existing >= 0) {
            String old = lines.get(existing);
            int comment = old.indexOf(" #");
            lines.set(existing, indent + entry + (comment >= 0 ? "  " + old.substring(comment).strip() : ""));
        } else {
            lines.add(routing + 1, indent + entry);
        }
        return String.join("\n", lines);
    }

    private static int indexOf(List<String> lines, int from, int to, Pattern pattern) {
        for (int i = from; i < to; i++) {
            if (pattern.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        return -1;
    }

    /** The line after the block opened at {@code start}: the first later content line indented no deeper than it. */
    private static int blockEnd(List<String> lines, int start, int indent) {
        for (int i = start + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.strip().startsWith("#") && indentOf(l) <= indent) {
                return i;
            }
        }
        return lines.size();
    }

    private static String childIndent(List<String> lines, int start, int end, String otherwise) {
        for (int i = start + 1; i < end; i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.strip().startsWith("#")) {
                return " ".repeat(indentOf(l));
            }
        }
        return otherwise;
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
