package dev.steward.app;

import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.router.ChatMessage;
import dev.steward.support.Ids;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Talk with Steward. History and line editing work as in a shell.",
                "Commands: /status, /task ID, /clear, /help, /exit. Ctrl-C stops the current answer; Ctrl-D leaves."})
final class ChatCommand implements Callable<Integer> {
    /** How many earlier messages go with each new one; the agent-runtime issue trims by tokens instead. */
    static final int HISTORY_MESSAGES = 20;

    @ParentCommand
    StewardCommand parent;

    private final List<ChatMessage> history = new ArrayList<>();
    private String conversationId = Ids.next();
    /** False when lines come from a pipe or file: then no prompts, and stdout carries only the answers. */
    private boolean interactive;

    @Override
    public Integer call() throws IOException {
        Steward steward = parent.steward();
        interactive = dev.steward.app.Terminal.isTerminal(0) && dev.steward.app.Terminal.isTerminal(1);
        try (Terminal terminal = TerminalBuilder.builder().name("steward").system(true).build();
             ExecutorService worker = Executors.newVirtualThreadPerTaskExecutor()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("steward")
                    .variable(LineReader.HISTORY_FILE, steward.config().home().resolve("chat_history"))
                    .build();
            PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
            String banner = "Steward " + Version.current() + (steward.router().offline()
                    ? " — offline (no model configured; 'steward doctor' shows how to connect one)" : "")
                    + ". /help for commands, Ctrl-D to leave.";
            if (interactive) {
                out.println(banner);
            } else {
                System.err.println(banner);
            }
            while (true) {
                String line;
                try {
                    line = reader.readLine(interactive ? "you › " : "").strip();
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return Main.OK;
                }
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("/")) {
                    if (!command(line, steward, out, terminal)) {
                        return Main.OK;
                    }
                    continue;
                }
                answer(line, steward, out, terminal, worker);
            }
        }
    }

    private void answer(String line, Steward steward, PrintStream out, Terminal terminal, ExecutorService worker) {
        ProgressPrinter progress = new ProgressPrinter(out, out, false, true);
        if (interactive) {
            out.print("steward › ");
        }
        Future<Task> run = worker.submit(() -> steward.runner().run(
                new AskRequest(Steward.LOCAL_USER, line, conversationId,
                        history.subList(Math.max(0, history.size() - HISTORY_MESSAGES), history.size())), progress));
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> run.cancel(true));
        try {
            Task task = run.get();
            progress.finish(task.answer());
            if (task.status() == TaskStatus.DONE) {
                history.add(ChatMessage.user(line));
                history.add(ChatMessage.assistant(task.answer()));
            } else {
                out.println("(" + task.status().id() + (task.error() == null ? "" : ": " + task.error()) + ")");
            }
        } catch (java.util.concurrent.CancellationException e) {
            out.println("\n(cancelled)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            out.println("\n(error: " + e.getCause().getMessage() + ")");
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }

    /** Runs a slash command; false means leave the chat. */
    private boolean command(String line, Steward steward, PrintStream out, Terminal terminal) {
        String[] parts = line.split("\\s+", 2);
        switch (parts[0]) {
            case "/exit", "/quit" -> {
                return false;
            }
            case "/clear" -> {
                history.clear();
                conversationId = Ids.next();
                terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
                terminal.flush();
                out.println("(conversation cleared)");
            }
            case "/status" -> {
                var report = steward.stats().report().allTime();
                out.println("Mode: " + (steward.router().offline() ? "offline" : steward.config().routing().mode().id())
                        + " · tasks: " + report.tasks() + (report.tasks() == 0 ? "" : " (" + StatsCommand.join(report.tasksByStatus()) + ")")
                        + " · cost: " + Money.format(report.costMicros()) + " · home: " + steward.config().home());
            }
            case "/task" -> {
                if (parts.length < 2) {
                    out.println("usage: /task ID (ids are in 'steward tasks list')");
                } else {
                    steward.tasks().find(parts[1].strip()).ifPresentOrElse(
                            t -> out.print(TasksCommand.describe(t)),
                            () -> out.println("no task '" + parts[1].strip() + "'"));
                }
            }
            case "/help" -> out.println("""
                    /status    mode, task counts and cost
                    /task ID   one task in detail
                    /clear     start a new conversation
                    /exit      leave (or Ctrl-D); Ctrl-C stops an answer in progress""");
            default -> out.println("unknown command " + parts[0] + "; /help lists them");
        }
        return true;
    }
}
