package dev.steward.skills;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.steward.actions.Provenance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A routine that succeeded several times, drafted as a skill ("Automate this?"): SKILL.md from the user's own words and
 * the tools the tasks called, and a bash script for the steps the sandbox can repeat (shell commands, workspace files).
 * Values that differed between the runs become the script's parameters. What the tools returned is never copied, and
 * neither are the arguments of a call made after untrusted content entered its task unless the user's own words
 * explain them (the gate's rule): they could be the content's words, so such a step is described by its tool alone
 * and left to the agent.
 */
final class SkillDraft {
    static final String SCRIPT = "scripts/run.sh";
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    /** Tokens a differing shell word may be made of to become a parameter (no quotes, no expansions). */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9._/@:+,=%-]+");
    private static final Set<String> COMMON_WORDS = Set.of("the", "and", "for", "with", "from", "into", "that", "this",
            "then", "them", "please", "can", "you", "what", "which", "its", "all", "are", "was", "give", "tell", "show",
            "out", "file", "files", "again", "now", "today", "how", "has", "have", "many", "too", "does", "did");

    /** One successful task of the routine: the user's words and the calls it made. */
    record Sample(String taskId, String request, List<RecordedCall> calls) {}

    /** What the draft's folder holds; {@code script} is null when no step can run in the sandbox. */
    record Files(String name, String description, String skillMd, String script) {}

    private SkillDraft() {}

    /** The calls that make up a task's routine: the successful ones, skills' own calls left out. */
    static List<RecordedCall> routine(List<RecordedCall> calls) {
        return calls.stream().filter(RecordedCall::ok).filter(c -> !c.tool().startsWith("skills.")).toList();
    }

    /**
     * What makes two tasks the same kind: the intent and the sequence of tools, each with the names (not the values)
     * of its arguments. Words and values may differ; the steps may not.
     */
    static String shape(String intent, List<RecordedCall> routine) {
        StringBuilder key = new StringBuilder(intent == null ? "" : intent);
        for (RecordedCall call : routine) {
            Set<String> names = new TreeSet<>();
            call.arguments().fieldNames().forEachRemaining(names::add);
            key.append('|').append(call.tool()).append(names);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A skill name from the words every request shares (lower-case, hyphens), not one {@code taken} already. */
    static String name(String intent, List<Sample> samples, Predicate<String> taken) {
        Set<String> shared = null;
        for (Sample s : samples) {
            Set<String> words = new LinkedHashSet<>(words(s.request()));
            if (shared == null) {
                shared = words;
            } else {
                shared.retainAll(words);
            }
        }
        String base = String.join("-", (shared == null ? Set.<String>of() : shared).stream().limit(4).toList());
        if (base.isEmpty()) {
            base = (intent == null ? "task" : intent.replace('_', '-')) + "-routine";
        }
        base = base.length() > 56 ? base.substring(0, 56).replaceAll("-+$", "") : base;
        String name = base;
        for (int n = 2; taken.test(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() >= 3 && !COMMON_WORDS.contains(w) && !w.chars().allMatch(Character::isDigit)) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Drafts the skill; the samples are tasks of one shape, so their routines line up call by call.
     *
     * @param schemaOf a tool's input schema (its enumerated values are choices, not content), or null
     */
    static Files draft(String name, List<Sample> samples, Function<String, JsonNode> schemaOf) {
        Parameters parameters = new Parameters();
        List<String> steps = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<Integer> scripted = new ArrayList<>();
        int count = samples.getFirst().calls().size();
        for (int i = 0; i < count; i++) {
            int at = i;
            List<RecordedCall> calls = samples.stream().map(s -> s.calls().get(at)).toList();
            String tool = calls.getFirst().tool();
            boolean tainted = samples.stream().anyMatch(s -> !explained(s.calls().get(at), s.request(), schemaOf));
            String line = tainted ? null : scriptLine(tool, calls, parameters);
            if (line != null) {
                scripted.add(i + 1);
                lines.add("echo '== step " + (i + 1) + ": " + tool + "'");
                lines.add(line);
            }
            steps.add((i + 1) + ". `" + tool + "`" + (tainted
                    ? " — in the recorded runs this call came after untrusted content (a page, a mail, a file) and "
                    + "the request does not explain its arguments, so they are not copied here: choose them from the "
                    + "user's request."
                    : line != null ? " — in the script: `" + inline(line) + "`"
                    : " with " + described(calls, parameters) + " — call it yourself (the script cannot use Steward's "
                    + "tools)."));
        }
        List<String> requests = samples.stream().map(s -> abbreviate(s.request(), 150)).toList();
        String usage = SCRIPT + parameters.usage();
        String description = abbreviate("A routine that succeeded " + samples.size() + " times: "
                + String.join(", ", samples.getFirst().calls().stream().map(RecordedCall::tool).distinct().toList())
                + (scripted.isEmpty() ? "" : "; " + usage + " repeats the steps that need no model")
                + ". Use it for requests like: " + String.join("; ", requests.stream().map(r -> "\"" + r + "\"")
                .toList()), 1000);
        StringBuilder md = new StringBuilder(frontMatter(name, description)).append("\n# ").append(name)
                .append("\n\nSteward drafted this skill after the same kind of task succeeded ").append(samples.size())
                .append(" times (tasks ").append(String.join(", ", samples.stream().map(Sample::taskId).toList()))
                .append("). It holds the steps those tasks took; nothing the tools returned was copied into it.\n")
                .append("\n## When to use\n\nWhen the user asks for something like:\n\n");
        requests.forEach(r -> md.append("- ").append(r).append('\n'));
        md.append("\n## Steps\n\n");
        steps.forEach(s -> md.append(s).append('\n'));
        if (!scripted.isEmpty()) {
            md.append("\n## The script\n\n`").append(usage).append("` runs step").append(scripted.size() > 1 ? "s " : " ")
                    .append(String.join(", ", scripted.stream().map(String::valueOf).toList()))
                    .append(" in the sandbox, with the workspace as its current folder.\n");
            parameters.list.forEach(p -> md.append("- `").append(p.label()).append("`: what differed between the runs (")
                    .append(String.join(", ", p.values().stream().map(v -> "`" + inline(v) + "`").toList()))
                    .append(")\n"));
        }
        String script = scripted.isEmpty() ? null : script(samples, parameters, lines);
        return new Files(name, description, md.toString(), script);
    }

    /**
     * Whether a call's arguments are the user's and not what untrusted content said: it came before any, or the
     * user's own words explain it by the gate's rule ({@link Provenance#unexplained}: every value of it is in them).
     */
    private static boolean explained(RecordedCall call, String request, Function<String, JsonNode> schemaOf) {
        return !call.afterUntrusted() || new Provenance(List.of(request), List.of(new Provenance.Untrusted(call.tool(),
                "")), List.of()).unexplained(schemaOf.apply(call.tool()), call.arguments()).isEmpty();
    }

    /** The bash line that repeats a call, or null when the sandbox cannot (another tool, or commands that vary). */
    private static String scriptLine(String tool, List<RecordedCall> calls, Parameters parameters) {
        Function<String, String> arg = key -> parameters.value(key, calls);
        return switch (tool) {
            case "files.read" -> "cat -- " + arg.apply("path");
            case "files.list" -> "ls -la -- " + (has(calls, "path") ? arg.apply("path") : ".");
            case "files.search" -> "grep -rnE -- " + arg.apply("pattern") + " " + (has(calls, "path")
                    ? arg.apply("path") : ".");
            case "files.move" -> "mv -- " + arg.apply("from") + " " + arg.apply("to");
            case "files.delete" -> "rm -d -- " + arg.apply("path");
            case "shell.run" -> command(calls, parameters);
            default -> null;
        };
    }

    private static boolean has(List<RecordedCall> calls, String key) {
        return calls.getFirst().arguments().path(key).isTextual();
    }

    /** The command when every run ran the same; else with the words that differed as parameters, if they are plain. */
    private static String command(List<RecordedCall> calls, Parameters parameters) {
        List<String> commands = calls.stream().map(c -> c.arguments().path("command").asText()).toList();
        if (commands.stream().distinct().count() == 1) {
            return commands.getFirst();
        }
        List<String[]> words = commands.stream().map(c -> c.strip().split("\\s+")).toList();
        int size = words.getFirst().length;
        if (words.stream().anyMatch(w -> w.length != size) || commands.stream().anyMatch(c -> c.contains("\n"))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int at = i;
            List<String> values = words.stream().map(w -> w[at]).toList();
            if (values.stream().distinct().count() == 1) {
                out.add(values.getFirst());
            } else if (values.stream().allMatch(v -> PLAIN_WORD.matcher(v).matches())) {
                out.add(parameters.reference(values.getFirst().contains("/") || values.getFirst().contains(".")
                        ? "file" : "value", values));
            } else {
                return null;
            }
        }
        return String.join(" ", out);
    }

    private static String described(List<RecordedCall> calls, Parameters parameters) {
        List<String> parts = new ArrayList<>();
        calls.getFirst().arguments().fieldNames().forEachRemaining(key -> {
            List<String> values = calls.stream().map(c -> text(c.arguments().path(key))).toList();
            parts.add("`" + key + "` " + (values.stream().distinct().count() == 1
                    ? "= `" + inline(abbreviate(values.getFirst(), 80)) + "`"
                    : "as the request says (it differed: " + String.join(", ", values.stream()
                    .map(v -> "`" + inline(abbreviate(v, 40)) + "`").toList()) + ")"));
        });
        return parts.isEmpty() ? "no arguments" : String.join(", ", parts);
    }

    private static String script(List<Sample> samples, Parameters parameters, List<String> lines) {
        StringBuilder out = new StringBuilder("#!/usr/bin/env bash\n")
                .append("# Drafted by Steward from the tasks ")
                .append(String.join(", ", samples.stream().map(Sample::taskId).toList()))
                .append(" (\"Automate this?\"). It runs in the sandbox, the workspace being its current folder.\n")
                .append("set -euo pipefail\n")
                .append("if [ \"$#\" -ne ").append(parameters.list.size()).append(" ]; then\n")
                .append("  echo 'usage: ").append(SCRIPT).append(parameters.usage()).append("' >&2\n")
                .append("  exit 2\nfi\n");
        for (int i = 0; i < parameters.list.size(); i++) {
            out.append(parameters.list.get(i).variable()).append("=\"$").append(i + 1).append("\"\n");
        }
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String frontMatter(String name, String description) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("description", description);
        try {
            return "---\n" + YAML.writeValueAsString(fields) + "---\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String inline(String text) {
        return text.replace('`', '\'').replaceAll("\\s+", " ");
    }

    private static String abbreviate(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > max ? line.substring(0, max - 1) + "…" : line;
    }

    /** A value that differed between the runs, passed to the script as a positional argument. */
    record Parameter(String variable, String label, List<String> values) {}

    /** The script's parameters: one per distinct list of differing values, so the same file is asked for once. */
    private static final class Parameters {
        final List<Parameter> list = new ArrayList<>();

        /** A call argument as the script writes it: quoted when every run had the same, else a parameter. */
        String value(String key, List<RecordedCall> calls) {
            List<String> values = calls.stream().map(c -> text(c.arguments().path(key))).toList();
            return values.stream().distinct().count() == 1 ? quoted(values.getFirst()) : reference(key, values);
        }

        String reference(String key, List<String> values) {
            for (Parameter p : list) {
                if (p.values().equals(values)) {
                    return "\"$" + p.variable() + "\"";
                }
            }
            String base = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
            String variable = base;
            for (int n = 2; taken(variable); n++) {
                variable = base + "_" + n;
            }
            list.add(new Parameter(variable, variable.toUpperCase(Locale.ROOT), values));
            return "\"$" + variable + "\"";
        }

        private boolean taken(String variable) {
            return list.stream().anyMatch(p -> p.variable().equals(variable));
        }

        String usage() {
            return list.stream().map(p -> " " + p.label()).reduce("", String::concat);
        }

        private static String quoted(String value) {
            return "'" + value.replace("'", "'\\''") + "'";
        }
    }
}
