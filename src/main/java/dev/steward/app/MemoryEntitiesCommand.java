package dev.steward.app;

import dev.steward.memory.EntityCard;
import dev.steward.memory.Fact;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code steward memory entities} and {@code steward memory entity NAME}: the people and organisations remembered. */
final class MemoryEntitiesCommand {
    private MemoryEntitiesCommand() {}

    @Command(name = "entities", mixinStandardHelpOptions = true, description = "The people, companies, teams, places,"
            + " products, projects and tools remembered, with their attributes and relations.")
    static final class ListEntities implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<EntityCard> cards = memory.memory().entityCards(Steward.LOCAL_USER);
            if (output.json) {
                System.out.println(Json.pretty(cards));
                return Main.OK;
            }
            if (cards.isEmpty()) {
                System.out.println("No entities yet. Try: steward memory add \"Alice (alice@acme.com) is our CFO\"");
                return Main.OK;
            }
            System.out.printf("%-24s  %-8s  %s%n", "NAME", "TYPE", "ATTRIBUTES AND RELATIONS");
            for (EntityCard card : cards) {
                String described = java.util.stream.Stream.concat(
                        card.attributes().stream().map(a -> a.name() + ": " + a.value()),
                        card.relations().stream().map(EntityCard.Link::phrase)).collect(Collectors.joining("; "));
                System.out.printf("%-24s  %-8s  %s%n", card.entity().name(), card.entity().type(), described);
            }
            return Main.OK;
        }
    }

    @Command(name = "entity", mixinStandardHelpOptions = true, description = "One entity: its attributes, relations,"
            + " the facts behind them and their history.",
            footer = {"", "Example:  steward memory entity Alice"})
    static final class ShowEntity implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Its name or an alias (\"Acme\").")
        List<String> words;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            String name = MemoryCommand.text(words, "show");
            EntityCard card = memory.memory().entity(Steward.LOCAL_USER, name).orElseThrow(() -> new UsageException(
                    "no entity named '" + name + "'; see the names with: steward memory entities"));
            if (output.json) {
                System.out.println(Json.pretty(card));
                return Main.OK;
            }
            System.out.println(card.entity().name() + " (" + card.entity().type() + ")"
                    + (card.entity().aliases().isEmpty() ? "" : ", also " + String.join(", ", card.entity().aliases())));
            section("Attributes", card.attributes().stream().map(a -> a.name() + ": " + a.value()).toList());
            section("Relations", card.relations().stream().map(EntityCard.Link::phrase).toList());
            section("Facts", card.facts().stream().map(f -> "[" + f.id() + "] " + f.statement()).toList());
            section("History", java.util.stream.Stream.concat(
                    card.history().stream().map(Fact::statement),
                    card.endedRelations().stream().map(l -> l.phrase() + " (until " + Output.date(l.validTo()) + ")"))
                    .toList());
            return Main.OK;
        }

        private static void section(String title, List<String> lines) {
            if (!lines.isEmpty()) {
                System.out.println(title + ":");
                lines.forEach(line -> System.out.println("  " + line));
            }
        }
    }
}
