package dev.steward.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools that give the model skills, progressively: {@code skills.read} loads a skill's SKILL.md (or one of its
 * files) when the model chooses it, {@code skills.run} runs one of its scripts in the sandbox. Both are ordinary
 * tools, so every call passes the gate (policy, approval, audit) and both are served over MCP.
 */
public final class SkillTools {
    public static final String READ = "skills.read";
    public static final String RUN = "skills.run";
    static final int MAX_READ_CHARS = 100_000;

    private SkillTools() {}

    public static List<Tool> all(Skills skills) {
        return List.of(read(skills), run(skills));
    }

    static Tool read(Skills skills) {
        ToolSpec spec = new ToolSpec(READ, "Load a skill's instructions (its SKILL.md) before using it, or one of its "
                + "files (path relative to the skill folder, like references/guide.md).",
                Json.parse("""
                        {"type":"object","properties":{
                          "skill":{"type":"string","minLength":1,"description":"the skill's name"},
                          "path":{"type":"string","description":"a file of the skill; SKILL.md when left out"}},
                         "required":["skill"],"additionalProperties":false}"""), Risk.READ)
                // A skill's own files are instructions the user chose to install (validated, pinned by hash): what
                // the agent reads there may direct what it does next. What its scripts print stays untrusted.
                .withTrustedResult();
        return Tool.of(spec, (arguments, context) -> {
            Skill skill = usable(skills, arguments.path("skill").asText());
            String path = arguments.path("path").asText("SKILL.md");
            Path folder = skill.folder().toAbsolutePath().normalize();
            Path file = folder.resolve(path.isBlank() ? "SKILL.md" : path).normalize();
            try {
                if (!file.startsWith(folder) || !Files.isRegularFile(file)
                        || !file.toRealPath().startsWith(folder.toRealPath())) {
                    throw new ToolException("the skill '" + skill.name() + "' has no file '" + path + "'; its files: "
                            + String.join(", ", SkillFolder.files(folder).stream().map(Path::toString).toList()));
                }
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                ObjectNode result = Json.object().put("skill", skill.name()).put("path", folder.relativize(file)
                        .toString()).put("text", text.length() > MAX_READ_CHARS
                        ? text.substring(0, MAX_READ_CHARS) + "\n[cut at " + MAX_READ_CHARS + " characters]" : text);
                ArrayNode scripts = result.putArray("scripts");
                Skills.scripts(skill).forEach(scripts::add);
                return ToolResult.ok(result);
            } catch (IOException e) {
                throw new ToolException("cannot read '" + path + "' of the skill '" + skill.name() + "': "
                        + e.getMessage());
            }
        });
    }

    static Tool run(Skills skills) {
        ToolSpec spec = new ToolSpec(RUN, "Run a script of a skill (read the skill first) in a sandbox: the workspace is "
                + "the current folder and the only place it can write; no network unless the skill declares it.",
                Json.parse("""
                        {"type":"object","properties":{
                          "skill":{"type":"string","minLength":1},
                          "script":{"type":"string","minLength":1,"description":"like scripts/report.py"},
                          "args":{"type":"array","items":{"type":"string"}}},
                         "required":["skill","script"],"additionalProperties":false}"""), Risk.WRITE);
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public Risk riskOf(JsonNode arguments) {
                // Network use is approved once per skill: until then, a run is dangerous (it needs approval by default).
                return skills.needsNetworkApproval(arguments.path("skill").asText()) ? Risk.DANGEROUS : Risk.WRITE;
            }

            @Override
            public ToolResult call(JsonNode arguments, ToolContext context) {
                String name = arguments.path("skill").asText();
                usable(skills, name);
                List<String> args = new ArrayList<>();
                arguments.path("args").forEach(a -> args.add(a.asText()));
                SkillRun run;
                try {
                    run = skills.run(name, arguments.path("script").asText(), args, context.userId(),
                            context.taskId());
                } catch (SkillException e) {
                    throw new ToolException(e.getMessage());
                }
                ObjectNode result = Json.object().put("skill", run.skill()).put("script", run.script())
                        .put("exit_code", run.exitCode()).put("stdout", run.stdout()).put("stderr", run.stderr())
                        .put("duration_ms", run.durationMs()).put("timed_out", run.timedOut())
                        .put("truncated", run.truncated());
                return run.ok() ? ToolResult.ok(result) : new ToolResult(result, run.error(), null);
            }
        };
    }

    private static Skill usable(Skills skills, String name) {
        try {
            Skill skill = skills.require(name);
            if (skill.unavailable() != null) {
                throw new ToolException(skill.unavailable());
            }
            return skill;
        } catch (SkillException e) {
            throw new ToolException(e.getMessage());
        }
    }
}
