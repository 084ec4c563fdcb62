package dev.steward.integrations.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.support.Json;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An integration tool: its spec, what a call does, and what the gate shows and asks before it runs. Built with
 * {@link #of} and the {@code with…} methods.
 *
 * @param preview            the whole call in words for the approval card (the mail, the amount), or null
 * @param secondFactor       why approving needs a one-time code too, or null when a yes is enough
 * @param approvalByDefault  why the call needs approval even where its risk's policy allows it, or null
 */
public record IntegrationTool(ToolSpec spec, BiFunction<JsonNode, ToolContext, ToolResult> body,
                              Function<JsonNode, String> preview, Function<JsonNode, String> secondFactor,
                              String approvalByDefault) implements Tool {

    /** A tool from its name, description, the JSON Schema of its input (as text) and its risk. */
    public static IntegrationTool of(String name, String description, String inputSchema, Risk risk,
                                     BiFunction<JsonNode, ToolContext, ToolResult> body) {
        return new IntegrationTool(new ToolSpec(name, description, Json.parse(inputSchema), risk), body,
                args -> null, args -> null, null);
    }

    public IntegrationTool withPreview(Function<JsonNode, String> text) {
        return new IntegrationTool(spec, body, text, secondFactor, approvalByDefault);
    }

    public IntegrationTool withSecondFactor(Function<JsonNode, String> reason) {
        return new IntegrationTool(spec, body, preview, reason, approvalByDefault);
    }

    public IntegrationTool withApprovalByDefault(String reason) {
        return new IntegrationTool(spec, body, preview, secondFactor, reason);
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        return body.apply(arguments, context);
    }

    @Override
    public boolean needsApprovalByDefault() {
        return approvalByDefault != null;
    }

    @Override
    public String approvalByDefaultReason() {
        return approvalByDefault;
    }

    @Override
    public String preview(JsonNode arguments) {
        return preview.apply(arguments);
    }

    @Override
    public String secondFactor(JsonNode arguments) {
        return secondFactor.apply(arguments);
    }
}
