package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** files.read, write, append, list, search, move and delete, confined to the workspace. */
final class FileTools {
    static final int MAX_LIST = 1000;
    static final int MAX_MATCHES = 200;
    /** Tools whose results only echo what the call did (a path, a size): nobody else's words come back. */
    private static final java.util.Set<String> TRUSTED_RESULTS =
            java.util.Set.of("files.write", "files.append", "files.move", "files.delete");

    private final Workspace workspace;
    private final long maxBytes;

    FileTools(Workspace workspace, long maxBytes) {
        this.workspace = workspace;
        this.maxBytes = maxBytes;
    }

    List<Tool> tools() {
        return List.of(
                tool("files.read", "Read a text file in the workspace.", Risk.READ,
                        "{\"path\":{\"type\":\"string\",\"description\":\"relative to the workspace\"}}", "path", this::read),
                tool("files.write", "Write a text file in the workspace, replacing what it held.", Risk.WRITE,
                        "{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}}", "path,content", this::write),
                tool("files.append", "Append text to a file in the workspace (creating it if needed).", Risk.WRITE,
                        "{\"path\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}}", "path,content", this::append),
                tool("files.list", "List a folder of the workspace (default: its top).", Risk.READ,
                        "{\"path\":{\"type\":\"string\"}}", "", this::list),
                tool("files.search", "Search the text files of the workspace for lines matching a regular expression.",
                        Risk.READ, "{\"pattern\":{\"type\":\"string\",\"minLength\":1},\"path\":{\"type\":\"string\"}}",
                        "pattern", this::search),
                tool("files.move", "Move or rename a file or folder within the workspace.", Risk.WRITE,
                        "{\"from\":{\"type\":\"string\"},\"to\":{\"type\":\"string\"}}", "from,to", this::move),
                tool("files.delete", "Delete a file or an empty folder in the workspace.", Risk.WRITE,
                        "{\"path\":{\"type\":\"string\"}}", "path", this::delete));
    }

    interface Body {
        ToolResult run(JsonNode arguments) throws IOException;
    }

    private static Tool tool(String name, String description, Risk risk, String properties, String required, Body body) {
        ObjectNode schema = Json.object().put("type", "object");
        schema.set("properties", Json.parse(properties));
        ArrayNode requiredNames = schema.putArray("required");
        for (String r : required.split(",")) {
            if (!r.isBlank()) {
                requiredNames.add(r);
            }
        }
        schema.put("additionalProperties", false);
        ToolSpec spec = new ToolSpec(name, description, schema, risk);
        return new SimpleTool(TRUSTED_RESULTS.contains(name) ? spec.withTrustedResult() : spec, (arguments, context) -> {
            try {
                return body.run(arguments);
            } catch (NoSuchFileException e) {
                return ToolResult.failed("no such file or folder: " + e.getFile());
            } catch (IOException e) {
                return ToolResult.failed(name + " failed: " + e.getMessage());
            }
        });
    }

    private ToolResult read(JsonNode arguments) throws IOException {
        Path file = workspace.resolve(arguments.path("path").asText());
        checkRegular(file, arguments.path("path").asText());
        file = file.toRealPath(); // a link inside the workspace, checked above, to its target
        String content = readText(file);
        return ToolResult.ok(Json.object().put("path", workspace.show(file)).put("content", content)
                .put("bytes", Files.size(file)));
    }

    private void checkRegular(Path file, String given) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(given);
        }
        if (Files.isDirectory(file)) {
            throw new ToolException("'" + given + "' is a folder; use files.list");
        }
        if (!Files.isRegularFile(file)) {
            throw new ToolException("refused '" + given + "': not a regular file (a device, pipe or socket)");
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new ToolException("refused '" + given + "': " + size + " bytes is more than the limit of "
                    + maxBytes + " (actions.files.max_bytes)");
        }
    }

    private static String readText(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(in.readAllBytes())).toString();
        }
    }

    private byte[] previous(Path file, String given) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        checkRegular(file, given);
        return Files.readAllBytes(file);
    }

    private ToolResult write(JsonNode arguments) throws IOException {
        return put(arguments, false);
    }

    private ToolResult append(JsonNode arguments) throws IOException {
        return put(arguments, true);
    }

    private ToolResult put(JsonNode arguments, boolean append) throws IOException {
        String given = arguments.path("path").asText();
        Path resolved = workspace.resolve(given);
        if (resolved.equals(workspace.root())) {
            throw new ToolException("'" + given + "' is the workspace itself; name a file");
        }
        Path file = Files.exists(resolved) ? resolved.toRealPath() : resolved;
        byte[] content = arguments.path("content").asText().getBytes(StandardCharsets.UTF_8);
        byte[] before = previous(file, given);
        long total = content.length + (append && before != null ? before.length : 0);
        if (total > maxBytes) {
            throw new ToolException("refused: the file would be " + total + " bytes, more than the limit of "
                    + maxBytes + " (actions.files.max_bytes)");
        }
        Path parent = file.getParent();
        Path firstCreated = null;
        for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        Files.createDirectories(parent);
        workspace.resolve(workspace.show(parent)); // the folders just made must still be inside
        if (append) {
            Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } else {
            Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        Path createdDir = firstCreated;
        String shown = workspace.show(file);
        return ToolResult.ok(Json.object().put("path", shown).put("bytes", Files.size(file)).put("created", before == null))
                .withUndo(Compensation.of(before == null ? "delete " + shown : "restore the previous content of " + shown,
                        () -> {
                            if (before == null) {
                                Files.deleteIfExists(file);
                                if (createdDir != null) {
                                    deleteEmptyUpTo(file.getParent(), createdDir);
                                }
                            } else {
                                Files.write(file, before);
                            }
                        }));
    }

    private static void deleteEmptyUpTo(Path from, Path last) throws IOException {
        for (Path p = from; p != null; p = p.getParent()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                if (entries.iterator().hasNext()) {
                    return;
                }
            }
            Files.delete(p);
            if (p.equals(last)) {
                return;
            }
        }
    }

    private ToolResult list(JsonNode arguments) throws IOException {
        String given = arguments.path("path").asText("");
        Path folder = workspace.resolve(given);
        if (!Files.isDirectory(folder)) {
            if (Files.exists(folder)) {
                throw new ToolException("'" + given + "' is a file; use files.read");
            }
            throw new NoSuchFileException(given);
        }
        ArrayNode entries = Json.mapper().createArrayNode();
        boolean truncated = false;
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path child : stream) {
                if (children.size() == MAX_LIST) {
                    truncated = true;
                    break;
                }
                children.add(child);
            }
        }
        children.sort(null);
        for (Path child : children) {
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            entries.addObject().put("name", child.getFileName().toString())
                    .put("type", attributes.isSymbolicLink() ? "link" : attributes.isDirectory() ? "folder"
                            : attributes.isRegularFile() ? "file" : "other")
                    .put("size", attributes.size());
        }
        ObjectNode result = Json.object().put("path", workspace.show(folder));
        result.set("entries", entries);
        return ToolResult.ok(result.put("truncated", truncated));
    }

    private ToolResult search(JsonNode arguments) throws IOException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(arguments.path("pattern").asText());
        } catch (PatternSyntaxException e) {
            throw new ToolException("argument 'pattern': not a valid regular expression (" + e.getDescription() + ")");
        }
        Path folder = workspace.resolve(arguments.path("path").asText(""));
        ArrayNode matches = Json.mapper().createArrayNode();
        boolean[] truncated = {false};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (!attributes.isRegularFile() || attributes.size() > maxBytes) {
                    return FileVisitResult.CONTINUE; // links, devices and oversize files are skipped
                }
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                        Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)))) {
                    String line;
                    int number = 0;
                    while ((line = reader.readLine()) != null) {
                        number++;
                        String bounded = line.length() > 10_000 ? line.substring(0, 10_000) : line;
                        Matcher matcher = pattern.matcher(bounded);
                        if (matcher.find()) {
                            if (matches.size() == MAX_MATCHES) {
                                truncated[0] = true;
                                return FileVisitResult.TERMINATE;
                            }
                            matches.addObject().put("path", workspace.show(file)).put("line", number)
                                    .put("text", bounded.length() > 500 ? bounded.substring(0, 500) + "…" : bounded);
                        }
                    }
                } catch (IOException | UncheckedIOException unreadable) {
                    // skipped
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        ObjectNode result = Json.object();
        result.set("matches", matches);
        return ToolResult.ok(result.put("truncated", truncated[0]));
    }

    private ToolResult move(JsonNode arguments) throws IOException {
        String fromGiven = arguments.path("from").asText();
        String toGiven = arguments.path("to").asText();
        Path from = workspace.resolve(fromGiven);
        Path to = workspace.resolve(toGiven);
        if (from.equals(workspace.root()) || to.equals(workspace.root())) {
            throw new ToolException("the workspace itself cannot be moved");
        }
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(fromGiven);
        }
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("'" + toGiven + "' already exists; delete it first or choose another name");
        }
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        return ToolResult.ok(Json.object().put("from", workspace.show(from)).put("to", workspace.show(to)))
                .withUndo(Compensation.of("move " + workspace.show(to) + " back to " + workspace.show(from),
                        () -> Files.move(to, from, StandardCopyOption.ATOMIC_MOVE)));
    }

    private ToolResult delete(JsonNode arguments) throws IOException {
        String given = arguments.path("path").asText();
        Path path = workspace.resolve(given);
        if (path.equals(workspace.root())) {
            throw new ToolException("the workspace itself cannot be deleted");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(given);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                if (entries.iterator().hasNext()) {
                    throw new ToolException("'" + given + "' is a folder that is not empty; delete its files first");
                }
            }
            Files.delete(path);
            return ToolResult.ok(Json.object().put("deleted", workspace.show(path)))
                    .withUndo(Compensation.of("recreate the folder " + workspace.show(path),
                            () -> Files.createDirectories(path)));
        }
        byte[] before = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) <= maxBytes
                ? Files.readAllBytes(path) : null;
        Files.delete(path);
        ToolResult result = ToolResult.ok(Json.object().put("deleted", workspace.show(path)));
        return before == null ? result : result.withUndo(Compensation.of("restore " + workspace.show(path),
                () -> Files.write(path, before, StandardOpenOption.CREATE_NEW)));
    }
}
