package dev.steward.skills;

import java.util.List;
import java.util.Map;

/**
 * What a skill declares it needs beyond the default sandbox, under {@code metadata} in SKILL.md:
 * {@code steward-network: "true"} (the network, approved once per skill), {@code steward-processes: "true"}
 * (starting other programs, in the background too) and {@code steward-timeout-seconds: "120"} (wall time per run).
 */
public record Permissions(boolean network, boolean processes, Integer timeoutSeconds) {
    static final String NETWORK = "steward-network";
    static final String PROCESSES = "steward-processes";
    static final String TIMEOUT = "steward-timeout-seconds";
    static final Permissions NONE = new Permissions(false, false, null);

    /** The permissions in {@code metadata}; a value that is not what its key takes is a finding, and counts as not given. */
    static Permissions of(Map<String, String> metadata, List<Finding> findings) {
        boolean network = flag(metadata, NETWORK, findings);
        boolean processes = flag(metadata, PROCESSES, findings);
        Integer timeout = null;
        String value = metadata.get(TIMEOUT);
        if (value != null) {
            try {
                timeout = Integer.parseInt(value.trim());
                if (timeout < 1 || timeout > 3600) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                timeout = null;
                findings.add(Finding.of(Rule.PERMISSION, SkillManifest.FILE, 0, "metadata " + TIMEOUT + " is '" + value
                        + "'; write a whole number of seconds from 1 to 3600"));
            }
        }
        return new Permissions(network, processes, timeout);
    }

    private static boolean flag(Map<String, String> metadata, String key, List<Finding> findings) {
        String value = metadata.get(key);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        findings.add(Finding.of(Rule.PERMISSION, SkillManifest.FILE, 0, "metadata " + key + " is '" + value
                + "'; write \"true\" or \"false\""));
        return false;
    }
}
