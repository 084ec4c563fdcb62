package dev.steward.skills;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Json;

/** A skill as the CLI's --json and the HTTP API show it; one shape for both. */
public final class SkillJson {
    private SkillJson() {}

    /** The skill with its stats; {@code full} adds SKILL.md's body, its scripts and validation's findings. */
    public static ObjectNode of(Skill skill, SkillStats stats, boolean full) {
        ObjectNode node = Json.object().put("name", skill.name()).put("description", skill.description())
                .put("origin", skill.origin().id()).put("status", skill.status().id()).put("enabled", skill.enabled())
                .put("folder", skill.folder().toString()).put("hash", skill.hash());
        if (skill.source() != null) {
            node.put("source", skill.source());
        }
        if (skill.manifest() != null && skill.manifest().license() != null) {
            node.put("license", skill.manifest().license());
        }
        String unavailable = skill.unavailable();
        if (unavailable != null) {
            node.put("unavailable", unavailable);
        }
        Permissions p = skill.permissions();
        ObjectNode permissions = node.putObject("permissions").put("network", p.network())
                .put("processes", p.processes());
        if (p.timeoutSeconds() != null) {
            permissions.put("timeout_seconds", p.timeoutSeconds());
        }
        ObjectNode s = node.putObject("stats").put("runs", stats.runs()).put("successes", stats.successes())
                .put("failures", stats.failures()).put("mean_duration_ms", stats.meanDurationMs())
                .put("failing", stats.failing());
        if (stats.successRate() != null) {
            s.put("success_rate", stats.successRate());
        }
        if (stats.lastError() != null) {
            s.put("last_error", stats.lastError());
        }
        if (full) {
            node.put("body", skill.manifest() == null ? "" : skill.manifest().body());
            Skills.scripts(skill).forEach(node.putArray("scripts")::add);
            node.set("findings", Json.mapper().valueToTree(skill.findings()));
            if (skill.manifest() != null && !skill.manifest().metadata().isEmpty()) {
                node.set("metadata", Json.mapper().valueToTree(skill.manifest().metadata()));
            }
        }
        return node;
    }
}
