package dev.steward.skills;

import java.util.List;

/**
 * What {@code skills validate --json} prints: the parsed name and description (null when they could not be read),
 * whether the skill may be installed and run, and every finding.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
public record Validation(String name, String description, boolean installable, List<Finding> findings) {
    public Validation {
        findings = List.copyOf(findings);
    }

    static Validation of(SkillManifest manifest, List<Finding> findings) {
        return new Validation(manifest == null ? null : manifest.name(), manifest == null ? null : manifest.description(),
                findings.stream().noneMatch(Finding::refuses), findings);
    }

    /** The errors that refuse it, one per line as {@code FILE:LINE: RULE: message}. */
    public String refusal() {
        return String.join("\n", findings.stream().filter(Finding::refuses).map(Finding::printed).toList());
    }
}
