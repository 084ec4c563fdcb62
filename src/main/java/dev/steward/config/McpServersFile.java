package dev.steward.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Adds and removes {@code mcp_servers:} entries in steward.yaml by editing its text, so that everything else in
 * the file, comments included, stays exactly as the user wrote it. A new entry goes at the end of the list (the
 * list is created at the end of the file if there is none); removing one takes out its lines only. The result is
 * parsed before it is written: an edit that would leave the file invalid is refused and the file is untouched.
 */
public final class McpServersFile {
    private static final Pattern TOP_KEY = Pattern.compile("^mcp_servers\\s*:\\s*(#.*)?$");
    private static final Pattern TOP_KEY_EMPTY_FLOW = Pattern.compile("^mcp_servers\\s*:\\s*\\[\\s*]\\s*(#.*)?$");

    private McpServersFile() {}

    /** Appends an entry for {@code server}; the caller has checked that no server has its name. */
    public static void add(Path file, McpServerConfig server) {
        List<String> lines = read(file);
        List<String> entry = entry(server);
        int key = findKey(lines);
        if (key < 0) {
            if (!lines.isEmpty() && !lines.getLast().isBlank()) {
                lines.add("");
            }
            lines.add("# External MCP servers, added by 'steward mcp add'; their tools are NAME.tool (see docs/actions.md).");
            lines.add("mcp_servers:");
            lines.addAll(entry);
        } else {
            if (TOP_KEY_EMPTY_FLOW.matcher(lines.get(key)).matches()) {
                lines.set(key, "mcp_servers:");
            } else if (!TOP_KEY.matcher(lines.get(key)).matches()) {
                throw new ConfigException(file.toString(), "mcp_servers",
                        "the list is written in a form this command does not edit (" + lines.get(key).strip() + ")",
                        "write it as a block list ('mcp_servers:' then '  - name: ...' lines), or edit it by hand");
            }
            lines.addAll(endOfBlock(lines, key), entry);
        }
        write(file, lines);
    }

    /** Removes the entry named {@code name}; false if there is none. */
    public static boolean remove(Path file, String name) {
        List<String> lines = read(file);
        int key = findKey(lines);
        if (key < 0) {
            return false;
        }
        int end = endOfBlock(lines, key);
        Pattern start = Pattern.compile("^(\\s*)-\\s+name\\s*:\\s*[\"']?" + Pattern.quote(name) + "[\"']?\\s*(#.*)?$");
        for (int i = key + 1; i < end; i++) {
            var m = start.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            int stop = i + 1;
            while (stop < end) {
                String line = lines.get(stop);
                if (!line.isBlank() && !line.strip().startsWith("#") && indentOf(line) <= indent) {
                    break;
                }
                stop++;
            }
            // Keep the blank lines and comments that lead into the next entry or key.
            while (stop > i + 1 && (lines.get(stop - 1).isBlank() || lines.get(stop - 1).strip().startsWith("#"))) {
                stop--;
            }
            lines.subList(i, stop).clear();
            write(file, lines);
            return true;
        }
        return false;
    }

    private static List<String> entry(McpServerConfig server) {
        List<String> entry = new ArrayList<>();
        entry.add("  - name: " + quote(server.name()));
        if (server.stdio()) {
            entry.add("    command: " + quote(server.command()));
            if (!server.args().isEmpty()) {
                entry.add("    args: [" + String.join(", ", server.args().stream().map(McpServersFile::quote).toList()) + "]");
            }
        } else {
            entry.add("    url: " + quote(server.url()));
        }
        for (Map.Entry<String, String> e : server.env().entrySet()) {
            if (entry.stream().noneMatch(l -> l.equals("    env:"))) {
                entry.add("    env:");
            }
            entry.add("      " + e.getKey() + ": " + quote(e.getValue()));
        }
        if (server.readOnly()) {
            entry.add("    read_only: true");
        }
        return entry;
    }

    /** A YAML double-quoted scalar: safe for any text. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static int findKey(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("mcp_servers") && lines.get(i).matches("^mcp_servers\\s*:.*")) {
                return i;
            }
        }
        return -1;
    }

    /** The line after the last line of the block that starts at {@code key}: the next top-level key, or the end. */
    private static int endOfBlock(List<String> lines, int key) {
        int end = key + 1;
        int lastContent = key;
        while (end < lines.size()) {
            String line = lines.get(end);
            if (!line.isBlank() && !line.startsWith("#") && indentOf(line) == 0 && !line.startsWith("-")) {
                break;
            }
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                lastContent = end;
            }
            end++;
        }
        return lastContent + 1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static List<String> read(Path file) {
        try {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, List<String> lines) {
        String text = String.join("\n", lines) + "\n";
        Path home = file.getParent() == null ? Path.of(".") : file.getParent();
        // Parse first: an edit that breaks the file is refused (the ConfigException says where and why).
        new ConfigLoader(Map.of()).parseForCheck(home, file, text);
        try {
            Path temp = Files.createTempFile(home, ".steward", ".yaml");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
