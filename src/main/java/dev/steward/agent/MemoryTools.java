package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.memory.Fact;
import dev.steward.memory.Memory;
import dev.steward.router.OfflineModel;
import dev.steward.support.Json;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Memory as tools, so any model — the offline one included — can remember, recall, forget, show and clear. Each
 * result carries the structured data and a {@code summary} a model can pass on as it is.
 */
public final class MemoryTools {
    private MemoryTools() {}

    public static List<Tool> all(Memory memory) {
        return List.of(
                tool(OfflineModel.REMEMBER_TOOL, "Remember a fact the user states (\"remember that my company is Acme "
                                + "Corp\", \"Sarah is our CFO now\"). Sensitive data is never stored; a statement that "
                                + "contradicts a stored fact is flagged and the user is asked.",
                        "{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":{\"type\":\"string\","
                                + "\"description\":\"what the user said, in their words\"}}}", Risk.WRITE,
                        (args, ctx) -> {
                            Memory.Learned learned = memory.remember(ctx.userId(), args.path("text").asText(""),
                                    Memory.SOURCE_MESSAGE, ctx.taskId());
                            ObjectNode result = Json.object().put("summary", learned.summary());
                            result.set("stored", facts(learned.stored()));
                            result.set("replaced", facts(learned.replaced()));
                            result.set("contradictions", Json.mapper().valueToTree(learned.contradictions()));
                            result.set("left_out", Json.mapper().valueToTree(learned.leftOut()));
                            return result;
                        }),
                tool(OfflineModel.RECALL_TOOL, "Search what is remembered about the user: current facts, their history "
                                + "and past conversations. References like \"the CFO\" or \"my manager\" are resolved.",
                        "{\"type\":\"object\",\"required\":[\"query\"],\"properties\":{\"query\":{\"type\":\"string\"}}}",
                        Risk.READ,
                        (args, ctx) -> {
                            String query = args.path("query").asText("");
                            Memory.Recall recall = memory.recall(ctx.userId(), query, 10);
                            ObjectNode result = Json.object().put("summary", recall.summary());
                            result.set("current", facts(recall.current()));
                            result.set("history", facts(recall.history()));
                            result.set("episodes", Json.mapper().valueToTree(recall.episodes()));
                            result.set("passages", Json.mapper().valueToTree(recall.passages()));
                            return result;
                        }),
                tool(OfflineModel.FORGET_TOOL, "Forget the facts (with their history) and past conversations that "
                                + "mention every word of the query.",
                        "{\"type\":\"object\",\"required\":[\"query\"],\"properties\":{\"query\":{\"type\":\"string\"}}}",
                        Risk.WRITE,
                        (args, ctx) -> {
                            String query = args.path("query").asText("");
                            Memory.Forgotten forgotten = memory.forget(ctx.userId(), query);
                            ObjectNode result = Json.object().put("summary", forgotten.summary(query));
                            result.set("facts", facts(forgotten.facts()));
                            return result.put("episodes", forgotten.episodes());
                        }),
                tool(OfflineModel.SHOW_MEMORY_TOOL, "Show the user everything remembered about them, in short.",
                        "{\"type\":\"object\",\"properties\":{}}", Risk.READ,
                        (args, ctx) -> show(memory, ctx.userId())),
                tool(OfflineModel.CLEAR_MEMORY_TOOL, "Delete everything remembered about the user. Only with "
                                + "confirm=true, after the user confirmed.",
                        "{\"type\":\"object\",\"required\":[\"confirm\"],\"properties\":{\"confirm\":"
                                + "{\"type\":\"boolean\"}}}", Risk.WRITE,
                        (args, ctx) -> {
                            if (!args.path("confirm").asBoolean(false)) {
                                throw new IllegalArgumentException("clearing memory needs confirm=true, after the user "
                                        + "confirmed");
                            }
                            Map<String, Integer> counts = memory.clear(ctx.userId());
                            return Json.object().put("summary", "Cleared: I no longer remember anything about you ("
                                    + counts.getOrDefault("facts", 0) + " facts, " + counts.getOrDefault("episodes", 0)
                                    + " conversations deleted).");
                        }));
    }

    static ObjectNode show(Memory memory, String userId) {
        Map<String, Long> stats = memory.stats(userId);
        List<Fact> facts = memory.facts(userId, false);
        StringBuilder text = new StringBuilder();
        if (facts.isEmpty() && stats.getOrDefault("episodes", 0L) == 0) {
            text.append("I don't remember anything about you yet.");
        } else {
            text.append("I remember ").append(stats.get("facts")).append(" facts about you (")
                    .append(stats.get("history")).append(" earlier versions) and ").append(stats.get("episodes"))
                    .append(" past conversations.");
            facts.stream().limit(30).forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
            if (facts.size() > 30) {
                text.append("\n… and ").append(facts.size() - 30).append(" more.");
            }
        }
        text.append("\nEverything, with history: `steward memory export --format markdown`. To delete it all, say "
                + "\"clear my data\".");
        ObjectNode result = Json.object().put("summary", text.toString());
        result.set("stats", Json.mapper().valueToTree(stats));
        result.set("facts", facts(facts));
        return result;
    }

    private static ArrayNode facts(List<Fact> facts) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (Fact f : facts) {
            ObjectNode node = Json.mapper().valueToTree(f);
            array.add(node.put("statement", f.statement()));
        }
        return array;
    }

    private static Tool tool(String name, String description, String schema, Risk risk,
                             BiFunction<JsonNode, ToolContext, JsonNode> body) {
        ToolSpec spec = new ToolSpec(name, description, Json.parse(schema), risk);
        return Tool.of(spec, (arguments, context) -> ToolResult.ok(body.apply(arguments, context)));
    }
}
