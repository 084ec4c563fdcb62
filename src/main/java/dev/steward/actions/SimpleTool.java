package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A tool made of its spec and two functions; the built-in tools are written this way. */
record SimpleTool(ToolSpec spec, BiFunction<JsonNode, ToolContext, ToolResult> body, Function<JsonNode, Risk> risk)
        implements Tool {
    SimpleTool(ToolSpec spec, BiFunction<JsonNode, ToolContext, ToolResult> body) {
        this(spec, body, null);
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        return body.apply(arguments, context);
    }

    @Override
    public Risk riskOf(JsonNode arguments) {
        return risk == null ? spec.risk() : risk.apply(arguments);
    }
}
