package dev.steward.learning;

import java.util.List;

/**
 * Something users asked for that Steward could not do: a tool the model asked for that does not exist, or requests
 * of one kind answered with "I can't". Counted, with examples and what would fill it.
 */
public record Gap(String name, String request, int count, List<String> examples, String suggestion) {
    public Gap {
        examples = List.copyOf(examples);
    }

    /** What would give Steward a tool it was asked for. */
    static String suggestionFor(String tool) {
        String family = tool.contains(".") ? tool.substring(0, tool.indexOf('.')) : tool;
        return switch (family) {
            case "email" -> "connect a mail account (connections.email in steward.yaml, docs/integrations.md)";
            case "calendar" -> "connect a CalDAV calendar (connections.calendar in steward.yaml, docs/integrations.md)";
            case "payments" -> "connect a payment provider (connections.payments in steward.yaml, docs/integrations.md)";
            default -> "an MCP server that offers \"" + tool + "\" ('steward mcp add NAME -- COMMAND'), or a skill "
                    + "that does it ('steward skills new " + family.replaceAll("[^a-z0-9-]", "-") + "')";
        };
    }
}
