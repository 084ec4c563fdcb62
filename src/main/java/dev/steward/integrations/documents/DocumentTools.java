package dev.steward.integrations.documents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.IntegrationTool;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** docs.read and docs.write on files in the workspace. */
public final class DocumentTools {
    private static final int MAX_TEXT = 200_000;
    private final WorkspacePaths workspace;

    DocumentTools(WorkspacePaths workspace) {
        this.workspace = workspace;
    }

    public static List<Tool> create(WorkspacePaths workspace) {
        DocumentTools tools = new DocumentTools(workspace);
        return List.of(
                IntegrationTool.of("docs.read", "Read a document in the workspace (.docx, .xlsx, .pptx, .pdf, .md, "
                                + ".txt, .csv) as text, headings as # lines and tables as | rows.",
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"minLength\":1}},"
                                + "\"required\":[\"path\"]}", Risk.READ, tools::read),
                IntegrationTool.of("docs.write", "Write a document in the workspace: .docx or .md from Markdown "
                                + "(headings, lists, | tables), or .xlsx from sheets ({\"Sheet1\": [[\"a\", 1], …]}).",
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"minLength\":1},"
                                + "\"markdown\":{\"type\":\"string\"},\"sheets\":{\"type\":\"object\","
                                + "\"additionalProperties\":{\"type\":\"array\"}}},\"required\":[\"path\"]}",
                        Risk.WRITE, tools::write));
    }

    private ToolResult read(JsonNode args, ToolContext context) {
        Path file = workspace.resolve(Args.text(args, "path"));
        if (!Files.isRegularFile(file)) {
            throw new ToolException("docs: no file '" + Args.text(args, "path") + "' in the workspace");
        }
        try {
            String text = DocumentText.read(file);
            boolean cut = text.length() > MAX_TEXT;
            return ToolResult.ok(Json.object().put("path", workspace.relative(file))
                    .put("text", cut ? text.substring(0, MAX_TEXT) + "\n[cut]" : text).put("truncated", cut));
        } catch (DocumentException e) {
            throw new ToolException("docs: " + e.getMessage());
        }
    }

    private ToolResult write(JsonNode args, ToolContext context) {
        String path = Args.text(args, "path");
        Path file = workspace.resolve(path);
        String kind = DocumentText.extension(file);
        byte[] content;
        try {
            content = switch (kind) {
                case "docx" -> DocumentWriter.docx(markdown(args, kind));
                case "md", "txt" -> markdown(args, kind).getBytes(StandardCharsets.UTF_8);
                case "xlsx" -> {
                    if (!args.path("sheets").isObject() || args.path("sheets").isEmpty()) {
                        throw new ToolException("docs: an .xlsx needs 'sheets': {\"Sheet1\": [[\"Name\", \"Amount\"], "
                                + "[\"Acme\", 1200]]}");
                    }
                    yield DocumentWriter.xlsx(args.path("sheets"));
                }
                default -> throw new ToolException("docs: cannot write a ." + kind + " file; write .docx, .md or .xlsx");
            };
        } catch (IOException | IllegalArgumentException e) {
            throw new ToolException("docs: cannot write " + path + ": " + e.getMessage());
        }
        try {
            byte[] before = Files.exists(file) ? Files.readAllBytes(file) : null;
            DocumentWriter.write(file, content);
            return ToolResult.ok(Json.object().put("path", workspace.relative(file)).put("bytes", content.length)
                    .put("replaced", before != null))
                    .withUndo(Compensation.of(before == null ? "delete " + path : "restore the previous " + path, () -> {
                        if (before == null) {
                            Files.deleteIfExists(file);
                        } else {
                            DocumentWriter.write(file, before);
                        }
                    }));
        } catch (IOException e) {
            throw new ToolException("docs: cannot write " + path + ": " + e.getMessage());
        }
    }

    private static String markdown(JsonNode args, String kind) {
        if (!args.hasNonNull("markdown")) {
            throw new ToolException("docs: a ." + kind + " file needs 'markdown' (its text)");
        }
        return Args.optional(args, "markdown");
    }
}
