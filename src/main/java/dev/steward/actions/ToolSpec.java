package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tool is, in the MCP shape (name, description, JSON Schema of its input) plus its risk level and an
 * estimate of what one call costs (micro-dollars; 0 for free tools).
 *
 * @param trustedResult whether what the tool returns is Steward's own data (a file it wrote, its status) rather than
 *                      content someone else could have written. False by default: a page, a file, a mail, a command's
 *                      output or an MCP result may carry instructions meant to hijack the model, so a result is
 *                      untrusted unless the tool's spec says otherwise (see {@link Provenance}).
 */
public record ToolSpec(String name, String description, JsonNode inputSchema, Risk risk, long costMicros,
                       boolean trustedResult) {
    public ToolSpec(String name, String description, JsonNode inputSchema, Risk risk) {
        this(name, description, inputSchema, risk, 0);
    }

    public ToolSpec(String name, String description, JsonNode inputSchema, Risk risk, long costMicros) {
        this(name, description, inputSchema, risk, costMicros, false);
    }

    /** This spec, for a tool whose results are Steward's own data and may not carry anyone else's words. */
    public ToolSpec withTrustedResult() {
        return new ToolSpec(name, description, inputSchema, risk, costMicros, true);
    }
}
