package dev.steward.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.memory.Category;
import dev.steward.memory.Contradiction;
import dev.steward.memory.Fact;
import dev.steward.memory.Memory;
import dev.steward.memory.MemorySettings;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"What Steward remembers about you: facts with their history, and past conversations.",
                "Card numbers, ID numbers, passwords, API keys and health details are never stored."},
        subcommands = {MemoryCommand.Add.class, MemoryCommand.ListFacts.class, MemoryCommand.Search.class,
                MemoryCommand.Forget.class, MemoryCommand.Export.class, MemoryCommand.Import.class,
                MemoryCommand.Clear.class, MemoryCommand.Stats.class, MemoryCommand.Resolve.class,
                MemoryCommand.Settings.class, MemoryCommand.Core.class, MemoryCommand.Reindex.class,
                MemoryEntitiesCommand.ListEntities.class, MemoryEntitiesCommand.ShowEntity.class,
                MemoryUpkeepCommand.class})
final class MemoryCommand extends CommandGroup {

    Memory memory() {
        return parent.steward().memory();
    }

    static String text(List<String> words, String what) {
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new UsageException("nothing to " + what + ": write it after the command");
        }
        return text;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Remember a fact, e.g. "
            + "steward memory add \"my company is Acme Corp\".")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(arity = "1..*", paramLabel = "TEXT")
        List<String> words;

        @Option(names = "--scope", defaultValue = "private", paramLabel = "SCOPE", description = "private (default)"
                + " or team:NAME: the team's members see it (steward teams list).")
        String scope;

        @Override
        public Integer call() {
            String text = text(words, "remember");
            Memory.Learned learned = memory.memory().remember(MemoryScope.space(memory.parent.steward(), scope),
                    dev.steward.memory.PatternFactExtractor.isRememberRequest(text) ? text : "remember that " + text,
                    Memory.SOURCE_MESSAGE, null);
            System.out.println(learned.summary());
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Current facts; --history adds earlier "
            + "versions.")
    static final class ListFacts implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Option(names = "--history", description = "Show earlier versions too.")
        boolean history;

        @Option(names = "--category", description = "Only this category.")
        String category;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Category only = category == null ? null : parseCategory(category);
            List<Fact> facts = memory.memory().facts(Steward.LOCAL_USER, history).stream()
                    .filter(f -> only == null || f.category() == only).toList();
            if (output.json) {
                System.out.println(Json.pretty(facts));
                return Main.OK;
            }
            if (facts.isEmpty()) {
                System.out.println("Nothing remembered yet. Try: steward memory add \"my company is Acme Corp\"");
                return Main.OK;
            }
            System.out.printf("%-10s  %-12s  %4s  %-10s  %s%n", "ID", "CATEGORY", "CONF", "SINCE", "FACT");
            for (Fact f : facts) {
                System.out.printf(Locale.ROOT, "%-10s  %-12s  %4.1f  %-10s  %s%n", f.id(), f.category().id(),
                        f.confidence(), Output.date(f.validFrom()),
                        f.statement());
            }
            return Main.OK;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Find facts (current and history) "
            + "and past conversations.")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(arity = "1..*", paramLabel = "QUERY")
        List<String> words;

        @Mixin
        JsonOption output;

        @Option(names = "--limit", defaultValue = "10", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            int most = CommandGroup.limit(limit);
            memory.parent.longLivedSteward(); // asked to search: by meaning too, whatever it costs to load
            Memory.Recall recall = memory.memory().recall(Steward.LOCAL_USER, text(words, "search for"), most);
            System.out.println(output.json ? Json.pretty(recall) : recall.summary());
            return Main.OK;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true, description = "Forget the facts (with their history) "
            + "and conversations that mention every word of the query.")
    static final class Forget implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(arity = "1..*", paramLabel = "QUERY")
        List<String> words;

        @Override
        public Integer call() {
            String query = text(words, "forget");
            System.out.println(memory.memory().forget(Steward.LOCAL_USER, query).summary(query));
            return Main.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Everything remembered: JSON "
            + "(lossless, for import) or Markdown (to read).")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Option(names = "--format", defaultValue = "json", description = "json or markdown (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = {"-o", "--output"}, description = "Write to this file instead of stdout.")
        Path output;

        @Override
        public Integer call() throws IOException {
            String text = switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> Json.pretty(memory.memory().export(Steward.LOCAL_USER));
                case "markdown", "md" -> memory.memory().exportMarkdown(Steward.LOCAL_USER);
                default -> throw new UsageException("unknown format '" + format + "'; use json or markdown");
            };
            if (output == null) {
                System.out.println(text);
            } else {
                Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
                System.err.println("steward: memory written to " + output);
            }
            return Main.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Read a JSON export back in; what is "
            + "already there is kept.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(paramLabel = "FILE", description = "A file written by 'steward memory export'.")
        Path file;

        @Override
        public Integer call() {
            JsonNode root;
            try {
                root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UsageException(file + " is not JSON: " + e.getMessage());
            }
            try {
                System.out.println(memory.memory().importJson(Steward.LOCAL_USER, root).summary());
            } catch (IllegalArgumentException e) {
                throw new UsageException(file + ": " + e.getMessage());
            }
            return Main.OK;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Delete everything remembered about "
            + "you. Asks first unless --yes.")
    static final class Clear implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Option(names = "--yes", description = "Do not ask.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            if (!yes) {
                System.err.print("Delete everything Steward remembers about you? This cannot be undone. Type 'yes': ");
                System.err.flush();
                String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
                    System.out.println("Nothing deleted.");
                    return Main.OK;
                }
            }
            Map<String, Integer> counts = memory.memory().clear(Steward.LOCAL_USER);
            System.out.println("Cleared: " + counts.getOrDefault("facts", 0) + " facts and "
                    + counts.getOrDefault("episodes", 0) + " conversations deleted.");
            return Main.OK;
        }
    }

    @Command(name = "reindex", mixinStandardHelpOptions = true, description = "Rebuild the search index from the "
            + "stored memories of every user, and compute their vectors now (--lexical-only: leave the vectors to "
            + "later searches).")
    static final class Reindex implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Option(names = "--lexical-only", description = "Do not run the embedding model now.")
        boolean lexicalOnly;

        @Override
        public Integer call() {
            Map<String, Integer> documents = memory.parent.steward().reindexMemory();
            int total = documents.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("indexed %d memories of %d users%n", total, documents.size());
            if (!lexicalOnly) {
                var index = memory.parent.steward().memorySearch();
                int embedded = index.embedPending(Integer.MAX_VALUE);
                System.out.printf("embedded %d with %s%n", embedded, index.embedder().name());
            }
            return Main.OK;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "How much is remembered.")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Map<String, Long> stats = memory.memory().stats(Steward.LOCAL_USER);
            MemorySettings settings = memory.memory().settings(Steward.LOCAL_USER);
            if (output.json) {
                var node = Json.object();
                node.set("counts", Json.mapper().valueToTree(stats));
                node.set("settings", Json.mapper().valueToTree(settings));
                System.out.println(Json.pretty(node));
                return Main.OK;
            }
            stats.forEach((k, v) -> System.out.printf("%-24s %d%n", k.replace('_', ' '), v));
            System.out.printf("%-24s %s%n", "memory", settings.enabled() ? "on" : "off");
            System.out.printf("%-24s %s%n", "expiry", settings.expiryDays() <= 0 ? "never"
                    : settings.expiryDays() + " days unused");
            return Main.OK;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Settle a contradiction: 'new' "
            + "replaces the fact, 'old' keeps it. Without arguments, lists the pending ones.")
    static final class Resolve implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID")
        String id;

        @Parameters(index = "1", arity = "0..1", paramLabel = "new|old")
        String choice;

        @Override
        public Integer call() {
            if (id == null) {
                List<Contradiction> pending = memory.memory().pendingContradictions(Steward.LOCAL_USER);
                if (pending.isEmpty()) {
                    System.out.println("No contradictions waiting.");
                }
                pending.forEach(c -> System.out.println(c.id() + "  " + c.statement()));
                return Main.OK;
            }
            if (choice == null || !(choice.equals("new") || choice.equals("old"))) {
                throw new UsageException("say which is right: steward memory resolve " + id + " new|old");
            }
            try {
                Contradiction c = memory.memory().resolve(Steward.LOCAL_USER, id, choice.equals("new"));
                System.out.println(choice.equals("new") ? "Updated to " + c.value() + "." : "Kept what I had.");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            return Main.OK;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true, description = "Memory on or off, categories never "
            + "to store, expiry of unused facts.")
    static final class Settings implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Option(names = "--on", description = "Remember (the default).")
        boolean on;

        @Option(names = "--off", description = "Store nothing new and recall nothing.")
        boolean off;

        @Option(names = "--block", split = ",", description = "Never store facts of these categories.")
        List<String> block;

        @Option(names = "--allow", split = ",", description = "Store these categories again.")
        List<String> allow;

        @Option(names = "--expiry-days", description = "Forget facts unused this long (0: never; default 180).")
        Integer expiryDays;

        @Override
        public Integer call() {
            if (on && off) {
                throw new UsageException("--on and --off together: choose one");
            }
            MemorySettings s = memory.memory().settings(Steward.LOCAL_USER);
            Set<Category> blocked = s.blockedCategories().isEmpty() ? EnumSet.noneOf(Category.class)
                    : EnumSet.copyOf(s.blockedCategories());
            if (block != null) {
                block.forEach(c -> blocked.add(parseCategory(c)));
            }
            if (allow != null) {
                allow.forEach(c -> blocked.remove(parseCategory(c)));
            }
            if (expiryDays != null && expiryDays < 0) {
                throw new UsageException("--expiry-days must be 0 or more");
            }
            MemorySettings updated = new MemorySettings(Steward.LOCAL_USER, on || (!off && s.enabled()), blocked,
                    expiryDays == null ? s.expiryDays() : expiryDays);
            if (!updated.equals(s)) {
                memory.memory().updateSettings(updated);
            }
            System.out.println("Memory " + (updated.enabled() ? "on" : "off") + "; never stored: "
                    + (updated.blockedCategories().isEmpty() ? "(none)" : String.join(", ",
                    updated.blockedCategories().stream().map(Category::id).sorted().toList()))
                    + "; unused facts expire after " + (updated.expiryDays() == 0 ? "never"
                    : updated.expiryDays() + " days") + ".");
            return Main.OK;
        }
    }

    @Command(name = "core", mixinStandardHelpOptions = true, description = "Show or edit the core blocks that are "
            + "always in context: persona and human.")
    static final class Core implements Callable<Integer> {
        @ParentCommand
        MemoryCommand memory;

        @Parameters(index = "0", arity = "0..1", paramLabel = "persona|human")
        String name;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT")
        List<String> words = List.of();

        @Override
        public Integer call() {
            if (name == null || words.isEmpty()) {
                memory.memory().coreBlocks(Steward.LOCAL_USER).stream()
                        .filter(b -> name == null || b.name().equals(name))
                        .forEach(b -> System.out.println(b.name() + ": " + b.body()));
                return Main.OK;
            }
            try {
                memory.memory().setCoreBlock(Steward.LOCAL_USER, name, String.join(" ", words));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            System.out.println("Saved the " + name + " block.");
            return Main.OK;
        }
    }

    static Category parseCategory(String id) {
        try {
            return Category.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
