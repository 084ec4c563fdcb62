package dev.steward.app;

import dev.steward.memory.Knowledge;
import dev.steward.memory.KnowledgeDocument;
import dev.steward.memory.KnowledgeWatch;
import dev.steward.memory.Passage;
import dev.steward.memory.Teams;
import dev.steward.support.Json;
import dev.steward.support.Text;
import dev.steward.support.UsageException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "knowledge", mixinStandardHelpOptions = true,
        description = {"Your own documents as a knowledge base: Steward reads them (.md, .txt, .html, .docx, .xlsx,"
                + " .pptx, .pdf, .csv), splits them at their headings and finds the passages that answer a question,"
                + " naming the document and section.",
                "Document text is data: nothing written in a document makes Steward act."},
        subcommands = {KnowledgeCommand.Add.class, KnowledgeCommand.ListDocuments.class, KnowledgeCommand.Search.class,
                KnowledgeCommand.Refresh.class, KnowledgeCommand.Remove.class})
final class KnowledgeCommand extends CommandGroup {

    Knowledge knowledge() {
        return parent.steward().knowledge();
    }

    /** Prints "k/n path" on a terminal, rewritten in place; nothing in a pipe or log. */
    static Knowledge.Progress progress() {
        if (System.console() == null) {
            return Knowledge.Progress.NONE;
        }
        return (done, total, path) -> drawCount(System.err, done, total, Text.abbreviate(path, 70));
    }

    /** "k/n what" on a terminal line, rewritten in place until the last. */
    static void drawCount(java.io.PrintStream terminal, int done, int total, String what) {
        terminal.print("\r\033[K" + done + "/" + total + " " + what + (done >= total ? "\n" : ""));
        terminal.flush();
    }

    static int printed(Knowledge.Changes changes, boolean json) {
        System.out.println(json ? Json.pretty(changes) : changes.summary());
        return changes.skipped().isEmpty() ? Main.OK : Main.TASK_FAILED;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add documents or folders of documents"
            + " (searched through; hidden folders passed over). A file already added is read again only if it"
            + " changed, so running it again after an interruption goes on where it stopped.",
            "An unreadable file is named and skipped, the rest are added (exit 1)."},
            footer = {"", "Examples:  steward knowledge add ~/Documents/handbook notes.md",
                    "           steward knowledge add ~/Documents/sales --scope team:sales --watch"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        KnowledgeCommand knowledge;

        @Parameters(arity = "1..*", paramLabel = "PATH")
        List<Path> paths;

        @Option(names = "--scope", defaultValue = Teams.PRIVATE, paramLabel = "SCOPE", description = "private (default)"
                + " or team:NAME: the team's members read these documents too (steward teams list).")
        String scope;

        @Option(names = "--watch", description = "Also follow these folders: while steward serve runs, new, changed"
                + " and deleted files under them are picked up by themselves (stop with: steward knowledge remove).")
        boolean watch;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            String space = MemoryScope.space(knowledge.parent.steward(), scope);
            Knowledge.Changes changes;
            try {
                changes = knowledge.knowledge().add(space, paths, watch, progress());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            return printed(changes, output.json);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The documents in the knowledge base, yours"
            + " and your teams', and the folders watched.")
    static final class ListDocuments implements Callable<Integer> {
        @ParentCommand
        KnowledgeCommand knowledge;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<KnowledgeDocument> documents = knowledge.knowledge().list(Steward.LOCAL_USER);
            List<KnowledgeWatch.Watched> watched = knowledge.knowledge().watched(Steward.LOCAL_USER);
            if (output.json) {
                var answer = Json.object();
                answer.set("documents", Json.mapper().valueToTree(documents.stream()
                        .map(d -> Json.mapper().<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(d)
                                .put("scope", Teams.scopeOf(d.userId()))).toList()));
                answer.set("watched", Json.mapper().valueToTree(watched.stream().map(w -> Json.object()
                        .put("path", w.path()).put("scope", w.scope()).put("created_at", w.createdAt())).toList()));
                System.out.println(Json.pretty(answer));
                return Main.OK;
            }
            if (documents.isEmpty()) {
                System.out.println("No documents yet. Add some: steward knowledge add ~/Documents/handbook");
            }
            for (KnowledgeDocument d : documents) {
                String scope = Teams.scopeOf(d.userId());
                System.out.println(d.path() + "  \"" + d.title() + "\", " + d.chunks() + " chunk"
                        + (d.chunks() == 1 ? "" : "s") + ", read " + Instant.ofEpochMilli(d.indexedAt())
                        + (scope.equals(Teams.PRIVATE) ? "" : ", " + scope));
            }
            for (KnowledgeWatch.Watched w : watched) {
                System.out.println("Watching " + w.path() + (w.scope().equals(Teams.PRIVATE) ? "" : " (" + w.scope()
                        + ")") + " — followed while steward serve runs");
            }
            return Main.OK;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "The passages that best answer a"
            + " question, with their document and section.")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        KnowledgeCommand knowledge;

        @Parameters(arity = "1..*", paramLabel = "QUERY")
        List<String> words;

        @Mixin
        JsonOption output;

        @Option(names = "--limit", defaultValue = "5", description = "How many passages (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            int most = CommandGroup.limit(limit);
            knowledge.parent.longLivedSteward(); // asked to search: by meaning too, whatever it costs to load
            List<Passage> passages = knowledge.knowledge().search(Steward.LOCAL_USER,
                    MemoryCommand.text(words, "search for"), most);
            if (output.json) {
                System.out.println(Json.pretty(passages));
                return Main.OK;
            }
            if (passages.isEmpty()) {
                System.out.println("Nothing in your documents matches that.");
            }
            for (Passage p : passages) {
                System.out.println("[" + p.citation() + "] " + p.path() + "\n  "
                        + Text.abbreviate(p.text().replaceAll("\\s+", " ").strip(), 300));
            }
            return Main.OK;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, description = "Read again the documents that changed"
            + " and drop those whose file is gone.")
    static final class Refresh implements Callable<Integer> {
        @ParentCommand
        KnowledgeCommand knowledge;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            return printed(knowledge.knowledge().refresh(Steward.LOCAL_USER, progress()), output.json);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a document, or every document"
            + " under a folder, from the knowledge base, and stop watching it (the files themselves are left alone).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        KnowledgeCommand knowledge;

        @Parameters(paramLabel = "PATH")
        Path path;

        @Override
        public Integer call() {
            Knowledge.Removed removed = knowledge.knowledge().remove(Steward.LOCAL_USER, path);
            if (removed.isEmpty()) {
                throw new UsageException("no document '" + path + "' in the knowledge base; see them with: steward"
                        + " knowledge list");
            }
            removed.documents().forEach(d -> System.out.println("Removed " + d.path()));
            removed.unwatched().forEach(p -> System.out.println("No longer watching " + p));
            return Main.OK;
        }
    }
}
