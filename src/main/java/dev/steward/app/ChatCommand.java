package dev.steward.app;

import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.router.ChatMessage;
import dev.steward.support.Ids;
import dev.steward.support.Version;
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
                "When a task asks a question, your next message answers it.",
                "Commands: /status, /task ID, /approve ID, /reject ID, /clear, /help, /exit.",
                "Ctrl-C stops the current answer; Ctrl-D leaves."})
final class ChatCommand implements Callable<Integer> {

    @ParentCommand
    StewardCommand parent;

    /** The conversation so far; the runtime trims it to the models' token budget. */
    private final List<ChatMessage> history = new ArrayList<>();
    /** The last task, if it stopped to wait for an answer or an approval. */
    private Task waiting;
    private String conversationId = Ids.next();
    /** False when lines come from a pipe or file: then no prompts, and stdout carries only the answers. */
    private boolean interactive;

    @Override
    public Integer call() throws IOException {
        Steward steward = parent.longLivedSteward();
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
                if (line.startsWith("/approve ") || line.startsWith("/reject ")) {
                    decide(line, steward, out, terminal, worker);
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
        Task asking = waiting != null && waiting.status() == TaskStatus.WAITING_INPUT ? waiting : null;
        follow(asking == null
                ? () -> steward.runner().run(new AskRequest(Steward.LOCAL_USER, line, conversationId, history), progress)
                : () -> steward.runner().answer(Steward.LOCAL_USER, asking.id(), line, progress),
                asking == null ? line : asking.input(), progress, out, terminal, worker);
    }

    /** Runs a piece of work on the worker (Ctrl-C cancels it) and shows how it ended. */
    private void follow(Callable<Task> work, String said, ProgressPrinter progress, PrintStream out, Terminal terminal,
                        ExecutorService worker) {
        Future<Task> run = worker.submit(work);
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> run.cancel(true));
        try {
            Task task = run.get();
            progress.finish(task.answer());
            waiting = null;
            if (task.status() == TaskStatus.DONE) {
                history.add(ChatMessage.user(said));
                history.add(ChatMessage.assistant(task.answer()));
            } else if (task.status() == TaskStatus.WAITING_INPUT) {
                waiting = task;
                out.println("(task " + task.id() + " asks: " + task.question() + " — your next message answers it)");
            } else if (task.status() == TaskStatus.WAITING_APPROVAL) {
                waiting = task;
                out.println("(task " + task.id() + " needs approval: /approve " + task.approvalId() + " or /reject "
                        + task.approvalId() + ")");
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

    /** Approves or rejects a request; the task that waited for it carries on here. */
    private void decide(String line, Steward steward, PrintStream out, Terminal terminal, ExecutorService worker) {
        String[] parts = line.split("\\s+", 2);
        String id = parts[1].strip();
        try {
            if (parts[0].equals("/approve")) {
                steward.gate().approve(id, Steward.LOCAL_USER, null);
                out.println("(approved " + id + ")");
            } else {
                steward.gate().reject(id, Steward.LOCAL_USER);
                out.println("(rejected " + id + ")");
            }
        } catch (RuntimeException e) {
            out.println("(" + e.getMessage() + ")");
            return;
        }
        Task task = waiting;
        if (task != null && id.equals(task.approvalId())) {
            ProgressPrinter progress = new ProgressPrinter(out, out, false, true);
            follow(() -> steward.runner().resume(Steward.LOCAL_USER, task.id(), progress), task.input(), progress, out,
                    terminal, worker);
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
                            t -> out.print(Output.task(t)),
                            () -> out.println("no task '" + parts[1].strip() + "'"));
                }
            }
            case "/help" -> out.println("""
                    /status    mode, task counts and cost
                    /task ID   one task in detail
                    /approve ID, /reject ID   decide an approval; the task waiting for it carries on
                    /clear     start a new conversation
                    /exit      leave (or Ctrl-D); Ctrl-C stops an answer in progress""");
            default -> out.println("unknown command " + parts[0] + "; /help lists them");
        }
        return true;
    }
}
