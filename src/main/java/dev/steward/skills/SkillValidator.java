package dev.steward.skills;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a skill folder before it is installed and whenever its files change: the front matter's schema, links
 * that lead out, each script's syntax and the static scan. What it reads it returns, so that the registry does
 * not read the folder twice.
 */
public final class SkillValidator {
    /** Files larger than this are not scanned as scripts (they are data, or no reviewer could read them). */
    static final long MAX_SCRIPT_BYTES = 1_000_000;

    /** The validation, the manifest (null when unreadable), the permissions it declares and the folder's hash. */
    record Checked(Validation validation, SkillManifest manifest, Permissions permissions, String hash) {}

    private SkillValidator() {}

    /** Validates the folder {@code dir}; a missing SKILL.md is a finding, never an exception. */
    public static Validation validate(Path dir) {
        return check(dir).validation();
    }

    static Checked check(Path dir) {
        return check(dir, true);
    }

    /**
     * Reads a skill that was validated at this content: its SKILL.md only, without the scripts' syntax checks and
     * scan (which passed when it was pinned).
     */
    static Checked read(Path dir) {
        return check(dir, false);
    }

    private static Checked check(Path dir, boolean scripts) {
        List<Finding> findings = new ArrayList<>();
        Path skillMd = dir.resolve(SkillManifest.FILE);
        if (!Files.isRegularFile(skillMd)) {
            findings.add(Finding.of(Rule.FRONT_MATTER, SkillManifest.FILE, 0, "there is no SKILL.md in " + dir
                    + "; a skill is a folder with SKILL.md (see 'steward skills new NAME')"));
            return new Checked(Validation.of(null, findings), null, Permissions.NONE, null);
        }
        String hash = SkillFolder.hash(dir);
        SkillManifest.Parsed parsed;
        try {
            parsed = SkillManifest.parse(Files.readString(skillMd, StandardCharsets.UTF_8),
                    dir.toAbsolutePath().normalize().getFileName().toString());
        } catch (IOException e) {
            findings.add(Finding.of(Rule.FRONT_MATTER, SkillManifest.FILE, 0, "SKILL.md cannot be read as UTF-8 text: "
                    + e.getMessage()));
            return new Checked(Validation.of(null, findings), null, Permissions.NONE, hash);
        }
        findings.addAll(parsed.findings());
        SkillManifest manifest = parsed.manifest();
        Permissions permissions = manifest == null ? Permissions.NONE : Permissions.of(manifest.metadata(), findings);
        for (Path file : scripts ? SkillFolder.files(dir) : List.<Path>of()) {
            findings.addAll(checkFile(dir, file, permissions));
        }
        return new Checked(Validation.of(manifest, findings), manifest, permissions, hash);
    }

    private static List<Finding> checkFile(Path dir, Path relative, Permissions permissions) {
        String name = relative.toString().replace('\\', '/');
        Path full = dir.resolve(relative);
        try {
            if (Files.isSymbolicLink(full)) {
                Path real = full.toRealPath();
                if (!real.startsWith(dir.toRealPath())) {
                    return List.of(Finding.of(Rule.LINK, name, 0, "is a link to " + Files.readSymbolicLink(full)
                            + ", outside the skill; copy the file into the skill instead"));
                }
            }
            if (!Files.isRegularFile(full) || Files.size(full) > MAX_SCRIPT_BYTES) {
                return List.of();
            }
            ScriptScan.Language language = ScriptScan.Language.of(name, firstLine(full));
            if (language == null) {
                return List.of();
            }
            List<Finding> findings = new ArrayList<>(ScriptScan.scan(name,
                    new String(Files.readAllBytes(full), StandardCharsets.UTF_8), language, permissions));
            SyntaxCheck.check(full, name, language).ifPresent(findings::add);
            return findings;
        } catch (IOException e) {
            return List.of(Finding.of(Rule.LINK, name, 0, "cannot be read (" + e.getMessage()
                    + "); a dangling link or unreadable file"));
        }
    }

    private static String firstLine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(200);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        }
    }
}
