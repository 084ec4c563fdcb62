package dev.steward.bench;

import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.AliasFile;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.LearningConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.learning.Findings;
import dev.steward.learning.Learning;
import dev.steward.learning.Proposal;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelException;
import dev.steward.router.Route;
import dev.steward.router.RoutedResponse;
import dev.steward.router.Router;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The learning loop before and after, measured: a recorded history in which the model behind the {@code assistant}
 * alias fails one kind of task (summaries), analysed into a proposal, approved, and the same requests replayed; then
 * rolled back and replayed once more. Real database, router, configuration history and steward.yaml; the two models
 * are in-process (their latency a sleep, their price the route's), so the numbers are the loop's, not a network's.
 * Run with bench/learning.sh [REQUESTS] [SUMMARY_SHARE].
 */
public final class LearningBench {
    private LearningBench() {}

    /** A cheap model that cannot summarise: every request asking for a summary fails, the rest are answered. */
    static final class NoSummaries extends Sleepy {
        NoSummaries() {
            super("cheap", 20);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            pause();
            if (request.messages().getLast().content().startsWith("Summarize")) {
                throw new ModelException("HTTP 500: the model crashed on a long input", false);
            }
            return answer("Paris.", 40, 5);
        }
    }

    /** A dearer model that answers everything, a little slower. */
    static final class Steady extends Sleepy {
        Steady() {
            super("steady", 35);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            pause();
            return answer("- point one\n- point two", 40, 12);
        }
    }

    abstract static class Sleepy implements ChatModel {
        private final String name;
        private final long millis;

        Sleepy(String name, long millis) {
            this.name = name;
            this.millis = millis;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String provider() {
            return "bench";
        }

        void pause() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        ChatResponse answer(String text, long in, long out) {
            return new ChatResponse(text, List.of(), new Usage(in, out), name, ChatResponse.FinishReason.STOP);
        }
    }

    /** Failures, cost and median latency of one pass over the requests. */
    record Pass(int requests, int failed, long costMicros, long p50Ms) {
        String row(String label) {
            return String.format(Locale.ROOT, "| %s | %d | %d | %.1f %% | $%.4f | %d ms |", label, requests, failed,
                    100.0 * failed / requests, costMicros / 1e6, p50Ms);
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        double summaryShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.6;
        Path home = Files.createTempDirectory("steward-learning-bench");
        Path yaml = home.resolve("steward.yaml");
        Files.writeString(yaml, "routing:\n  aliases:\n    assistant: bench/cheap\n");
        Map<String, String> aliases = new ConcurrentHashMap<>(Map.of("assistant", "bench/cheap"));
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            ModelCallLog log = new ModelCallLog(database);
            // Prices per million tokens in/out: the cheap model a tenth of the steady one's.
            List<Route> routes = List.of(
                    new Route("bench", "cheap", Locality.CLOUD, "cloud", 0.15, 0.60, 128_000, new NoSummaries()),
                    new Route("bench", "steady", Locality.CLOUD, "cloud", 1.50, 6.00, 128_000, new Steady()));
            RoutingConfig routing = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null, aliases);
            Router router = new Router(routing, () -> routes, log, null, null, Clock.systemUTC());
            TaskStore tasks = new TaskStore(database);
            Learning learning = new Learning(database, router, home, LearningConfig.defaults(), () -> Map.copyOf(aliases),
                    (alias, model) -> {
                        AliasFile.point(yaml, alias, model);
                        aliases.put(alias, model);
                        router.pointAlias(alias, model); // what a restarted serve would read from steward.yaml
                    }, Clock.systemUTC());
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                inputs.add(i < Math.round(requests * summaryShare) ? "Summarize meeting notes number " + i
                        : "What is the capital of France? (" + i + ")");
            }
            java.util.Collections.shuffle(inputs, new java.util.Random(7));

            Pass before = pass(router, tasks, inputs);
            log.flush();
            long analysing = System.nanoTime();
            Findings found = learning.analyze();
            long analysed = System.nanoTime();
            Proposal proposal = found.proposed().stream().filter(p -> p.kind() == Proposal.Kind.ROUTING).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no routing proposal: " + found));
            learning.approve(proposal.id(), "bench");
            Pass after = pass(router, tasks, inputs);
            String afterTarget = aliases.get("assistant");
            learning.rollback(proposal.id(), "bench");
            // The revert commit rewrote steward.yaml; a process started now reads it back:
            String restored = Files.readString(yaml).replaceAll("(?s).*assistant: (\\S+).*", "$1");
            router.pointAlias("assistant", restored);
            Pass rolledBack = pass(router, tasks, inputs);

            System.out.printf(Locale.ROOT, "%d requests, %.0f %% summaries; analysis took %.0f ms%n", requests,
                    100 * summaryShare, (analysed - analysing) / 1e6);
            System.out.println("proposal: " + proposal.title());
            System.out.println("evaluation: " + proposal.evaluation().verdict());
            System.out.println("| pass | requests | failed | failure rate | cost | p50 latency |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            System.out.println(before.row("before (assistant → bench/cheap)"));
            System.out.println(after.row("after approving (assistant → " + afterTarget + ")"));
            System.out.println(rolledBack.row("after rolling back (assistant → " + restored + ")"));
            System.out.println("steward.yaml now: " + Files.readString(yaml).strip().replace('\n', ' '));
            log.close();
            learning.close();
            router.close();
        }
    }

    /** Sends every request through the alias, recording each as a task the way the agent would. */
    private static Pass pass(Router router, TaskStore tasks, List<String> inputs) {
        int failed = 0;
        long cost = 0;
        List<Long> latencies = new ArrayList<>();
        for (String input : inputs) {
            String id = Ids.next();
            long started = System.currentTimeMillis();
            TaskStatus status = TaskStatus.DONE;
            String answer = null;
            String error = null;
            try {
                RoutedResponse r = router.chat(new ChatRequest(List.of(ChatMessage.user(input)), null, "assistant",
                        null, null, false), new CallContext("local", id));
                cost += r.costMicros();
                answer = r.response().text();
            } catch (RuntimeException e) {
                failed++;
                status = TaskStatus.FAILED;
                error = e.getMessage();
            }
            long finished = System.currentTimeMillis();
            latencies.add(finished - started);
            tasks.insert(new Task(id, "local", null, status, Intent.QUESTION, input, answer, error, null, 0, 0, 0,
                    started, started, finished));
        }
        latencies.sort(null);
        return new Pass(inputs.size(), failed, cost, latencies.get((latencies.size() - 1) / 2));
    }
}
