package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;

/** Something Steward can do. Built-in tools and the tools of external MCP servers look the same. */
public interface Tool {
    ToolSpec spec();

    ToolResult call(JsonNode arguments, ToolContext context);

    /** The risk of this particular call (a GET is less than a POST); by default the tool's own level. */
    default Risk riskOf(JsonNode arguments) {
        return spec().risk();
    }

    /**
     * Whether a call needs approval even where the policy for its risk would allow it, unless {@code actions.tools}
     * in steward.yaml names the tool: true for tools of external MCP servers not marked read-only.
     */
    default boolean needsApprovalByDefault() {
        return false;
    }

    /** Why this tool needs approval by default, for the approval card (see {@link #needsApprovalByDefault}). */
    default String approvalByDefaultReason() {
        return "a tool of an external MCP server that is not marked read_only";
    }

    /**
     * What the call will do, in full, for the person who approves it (the whole mail, the amount and what it pays
     * for); null to show the arguments as they are.
     */
    default String preview(JsonNode arguments) {
        return null;
    }

    /**
     * Why approving this call needs a one-time code as well as a yes (a payment above the configured amount), or null
     * when a yes is enough.
     */
    default String secondFactor(JsonNode arguments) {
        return null;
    }

    /** A tool made of its spec and what a call does, with the default risk and approval rules. */
    static Tool of(ToolSpec spec, BiFunction<JsonNode, ToolContext, ToolResult> call) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public ToolResult call(JsonNode arguments, ToolContext context) {
                return call.apply(arguments, context);
            }
        };
    }
}
