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
