package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskListener;
import dev.steward.agent.TaskStatus;
import dev.steward.cluster.Node;
import dev.steward.config.DatabaseConfig;
import dev.steward.router.Budgets;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.store.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes — two whole Steward graphs, each with its own home and search index — on one throwaway PostgreSQL
 * database, as {@code steward serve} wires them: they share tasks and memory, cannot together overspend a budget,
 * and a task of a node killed with SIGKILL is finished by the other once its lease lapses.
 */
@ExtendWith(TestPostgres.class)
class ScaleOutTest {
    /** Short leases and heartbeats, so that a takeover happens in seconds (the default lease is 30 s). */
    private static final String FAST_CLUSTER = "cluster:\n  lease_seconds: 2\n  heartbeat_seconds: 1\n";
    /**
     * Node A runs in its own JVM on a machine that may be busy: its lease must outlast a starved few seconds, as a
     * production lease (30 s) outlasts a long GC pause.
     */
    static final String PROCESS_CLUSTER = "cluster:\n  lease_seconds: 5\n  heartbeat_seconds: 1\n";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void bothNodesSeeTheSameTasksMemoryAndLiveEventsAndTheRegistryListsThem(DatabaseConfig postgres)
            throws IOException {
        try (Steward a = serving(homeA, postgres, "", Map.of()); Steward b = serving(homeB, postgres, "", Map.of())) {
            List<TaskEvent> relayedToB = new CopyOnWriteArrayList<>();
            b.runner().subscribe((user, event) -> relayedToB.add(event));

            Task task = a.runner().run(AskRequest.of(Steward.LOCAL_USER, "hello from node A"), TaskListener.NONE);
            assertThat(task.status()).isEqualTo(TaskStatus.DONE);
            assertThat(b.tasks().find(task.id())).get().extracting(Task::status).isEqualTo(TaskStatus.DONE);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(relayedToB)
                    .as("node B's streams hear node A's task, ending with its terminal event")
                    .anyMatch(e -> e.taskId().equals(task.id()) && e.type().ends()));

            a.memory().remember(Steward.LOCAL_USER, "remember that our project is Lighthouse", "message", null);
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() ->
                    !b.memory().recall(Steward.LOCAL_USER, "lighthouse project", 5).current().isEmpty());
            String factId = b.memory().recall(Steward.LOCAL_USER, "lighthouse project", 5).current().get(0).id();
            assertThat(b.memorySearch().count(Steward.LOCAL_USER)).as("B's own index holds it").isPositive();

            b.memory().delete(Steward.LOCAL_USER, factId);
            await().atMost(Duration.ofSeconds(2)).until(() ->
                    a.memory().recall(Steward.LOCAL_USER, "lighthouse project", 5).current().isEmpty());

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(a.cluster().orElseThrow().nodes()
                    .list()).extracting(Node::id, Node::state)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(a.runner().runnerId(), "live"),
                            org.assertj.core.groups.Tuple.tuple(b.runner().runnerId(), "live")));
        }
    }

    @Test
    void aNewNodeBuildsItsIndexFromTheDatabase(DatabaseConfig postgres) throws IOException {
        try (Steward a = serving(homeA, postgres, "", Map.of())) {
            a.memory().remember(Steward.LOCAL_USER, "remember that the warehouse is in Leeds", "message", null);
        }
        try (Steward b = serving(homeB, postgres, "", Map.of())) {
            assertThat(b.memory().recall(Steward.LOCAL_USER, "warehouse", 5).current())
                    .anyMatch(f -> (f.subject() + " " + f.value()).toLowerCase(java.util.Locale.ROOT).contains("leeds"));
        }
    }

    @Test
    void concurrentCallsOnBothNodesNeverSpendPastTheBudget(DatabaseConfig postgres) throws Exception {
        String budget = "budgets:\n  global:\n    hourly: 1.0\n";
        try (Steward a = serving(homeA, postgres, budget, Map.of());
             Steward b = serving(homeB, postgres, budget, Map.of())) {
            Budgets onA = a.router().budgets().orElseThrow();
            Budgets onB = b.router().budgets().orElseThrow();
            long estimate = 50_000; // $0.05 at most per call
            AtomicLong spent = new AtomicLong();
            AtomicLong admitted = new AtomicLong();
            AtomicLong denied = new AtomicLong();
            ExecutorService callers = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    Budgets node = i % 2 == 0 ? onA : onB;
                    calls.add(callers.submit(() -> {
                        if (node.reserve("user" + ThreadLocalRandom.current().nextInt(5), estimate)
                                instanceof Budgets.Admitted admission) {
                            admitted.incrementAndGet();
                            long cost = ThreadLocalRandom.current().nextLong(30_000, estimate + 1);
                            node.settle(admission.reservation(), cost);
                            spent.addAndGet(cost);
                        } else {
                            denied.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } finally {
                callers.shutdown();
            }
            assertThat(spent.get()).as("all nodes together stay within the $1.00 hourly budget")
                    .isLessThanOrEqualTo(1_000_000);
            assertThat(admitted.get()).as("the budget was used, not refused from the start").isGreaterThanOrEqualTo(20);
            assertThat(denied.get()).as("and then it said no").isPositive();
            assertThat(onB.status("anyone")).singleElement().satisfies(s -> assertThat(s.spentMicros())
                    .as("both nodes read one ledger").isEqualTo(spent.get()));
        }
    }

    @Test
    void theAuditLogStaysOneHashChainWhenBothNodesWriteAtOnce(DatabaseConfig postgres) throws Exception {
        try (Steward a = serving(homeA, postgres, "", Map.of()); Steward b = serving(homeB, postgres, "", Map.of())) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    var audit = (i % 2 == 0 ? a : b).gate().audit();
                    int n = i;
                    writes.add(writers.submit(() -> audit.append(Steward.LOCAL_USER, "tool_call", "files.read",
                            dev.steward.support.Json.object().put("n", n), "ok", "written by a node", 0, null, null)));
                }
                for (Future<?> write : writes) {
                    write.get();
                }
            } finally {
                writers.shutdown();
            }
            var verified = a.gate().audit().verify();
            assertThat(verified.ok()).as("%s", verified).isTrue();
            assertThat(verified.rows()).isGreaterThanOrEqualTo(80);
        }
    }

    @Test
    void aTaskOfAKilledNodeIsFinishedByTheOtherAndNeverRunsOnBothAtOnce(DatabaseConfig postgres) throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            model.models("llama-3.1-8b-instruct")
                    // The provider hangs for node A: A is still working on the task when it is killed.
                    .defaultReply(FakeReply.text("too late").delay(Duration.ofMinutes(5)));
            writeConfig(homeA, postgres, PROCESS_CLUSTER);
            StewardProcess nodeA = StewardProcess.in(homeA).with("OPENAI_BASE_URL", model.baseUrl())
                    .with("OPENAI_API_KEY", "sk-node-a");
            // Each node calls the model with its own key, so the requests say which node worked on the task.
            Map<String, String> provider = Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-node-b");
            StewardProcess.Running asking = nodeA.start("ask", "which supplier is cheaper?");
            try (Steward b = serving(homeB, postgres, PROCESS_CLUSTER, provider)) {
                try {
                    await().atMost(Duration.ofSeconds(90)).until(() -> chatRequests(model, "sk-node-a") >= 1
                            && !b.tasks().list(1, null).isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    asking.process().destroyForcibly();
                    throw new AssertionError("node A never worked on the task; requests: " + model.requests()
                            .stream().map(r -> r.method() + " " + r.path() + " " + r.header("Authorization")).toList()
                            + "; node A said: " + asking.err().join() + asking.out().join(), e);
                }
                Task held = b.tasks().list(1, null).get(0);
                // Longer than a lease: node A renews it, so node B must not take the task while A lives.
                Thread.sleep(7_000);
                assertThat(chatRequests(model, "sk-node-b")).as("only node A works on the task").isZero();
                // Whether node B classifies the request again depends on how far node A got: a classifier that gets
                // prose instead of JSON falls back to the offline one, so one reply serves both cases.
                model.defaultReply(FakeReply.text("Millers is cheaper, finished by node B."));

                asking.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no lease given back
                long killedAt = System.currentTimeMillis();

                await().atMost(Duration.ofSeconds(30)).until(() ->
                        b.tasks().find(held.id()).orElseThrow().status() == TaskStatus.DONE);
                assertThat(System.currentTimeMillis() - killedAt).as("taken over within lease + poll + work")
                        .isLessThan(25_000);
                Task finished = b.tasks().find(held.id()).orElseThrow();
                assertThat(finished.answer()).isEqualTo("Millers is cheaper, finished by node B.");
                assertThat(b.tasks().list(10, null)).as("resumed, not started again as a new task").hasSize(1);
            } finally {
                asking.process().destroyForcibly();
            }
        }
    }

    @Test
    void aStoppingNodeHandsItsTaskBackAtOnceInsteadOfLettingTheLeaseLapse(DatabaseConfig postgres) throws Exception {
        String longLease = "cluster:\n  lease_seconds: 60\n  heartbeat_seconds: 1\n";
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            model.models("llama-3.1-8b-instruct").defaultReply(FakeReply.text("too late").delay(Duration.ofMinutes(5)));
            Steward a = serving(homeA, postgres, longLease, Map.of("OPENAI_BASE_URL", model.baseUrl(),
                    "OPENAI_API_KEY", "sk-node-a"));
            boolean stopped = false;
            try (Steward b = serving(homeB, postgres, longLease, Map.of("OPENAI_BASE_URL", model.baseUrl(),
                    "OPENAI_API_KEY", "sk-node-b"))) {
                Task task = a.runner().submit(AskRequest.of(Steward.LOCAL_USER, "which supplier is cheaper?"));
                await().atMost(Duration.ofSeconds(60)).until(() -> chatRequests(model, "sk-node-a") >= 1);
                // Whether node B classifies the request again depends on how far node A got: a classifier that gets
                // prose instead of JSON falls back to the offline one, so one reply serves both cases.
                model.defaultReply(FakeReply.text("Millers, said node B."));

                long stopping = System.currentTimeMillis();
                a.close(); // what SIGTERM does: drain, hand the task back, leave the registry
                stopped = true;
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        b.tasks().find(task.id()).orElseThrow().status() == TaskStatus.DONE);

                assertThat(System.currentTimeMillis() - stopping).as("well before the 60 s lease would lapse")
                        .isLessThan(30_000);
                assertThat(b.tasks().find(task.id()).orElseThrow().answer()).isEqualTo("Millers, said node B.");
                assertThat(b.cluster().orElseThrow().nodes().list()).extracting(Node::id)
                        .as("the stopped node left the registry").containsExactly(b.runner().runnerId());
            } finally {
                if (!stopped) {
                    a.close();
                }
            }
        }
    }

    @Test
    void eventsOfATaskRunningOnNodeAStreamLiveFromNodeB(DatabaseConfig postgres) throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            model.models("llama-3.1-8b-instruct").enqueue(FakeReply.json("{\"intent\": \"question\"}"))
                    .defaultReply(FakeReply.text("Millers is cheaper.").delay(Duration.ofSeconds(4)));
            Map<String, String> provider = Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-test");
            try (Steward a = serving(homeA, postgres, "", provider); Steward b = serving(homeB, postgres, "", provider)) {
                String aliceId = b.accounts().addUser("alice", dev.steward.config.Role.STANDARD, "alice-password-1").id();
                String key = b.accounts().createKey("alice", "sse").secret();
                dev.steward.server.HttpServer serverB = dev.steward.server.HttpServer.start(
                        // A quiet stream looks at the stored events again only at its heartbeat: ten minutes here,
                        // so an event that arrives sooner was relayed live from node A's rows.
                        new dev.steward.server.HttpServer.Options("127.0.0.1", 0, 2_000, 600, 600,
                                Duration.ofMinutes(10)), b.services(), null);
                try {
                    Task task = a.runner().submit(AskRequest.of(aliceId, "which supplier is cheaper?"));
                    java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient
                            .newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                            serverB.url() + "/api/tasks/" + task.id() + "/events"))
                                    .header("Authorization", "Bearer " + key).build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofLines());
                    assertThat(stream.statusCode()).isEqualTo(200);
                    List<String> lines = java.util.concurrent.CompletableFuture
                            .supplyAsync(() -> stream.body().toList()).get(90, java.util.concurrent.TimeUnit.SECONDS);
                    // The model answered node A after 4 s, long after the stream opened: its call and the end came live.
                    assertThat(lines).contains("event: model_call", "event: done");
                    assertThat(a.tasks().find(task.id()).orElseThrow().answer()).isEqualTo("Millers is cheaper.");
                } finally {
                    serverB.stop();
                }
            }
        }
    }

    static long chatRequests(FakeOpenAiServer model, String key) {
        return model.requests().stream().filter(r -> r.pathOnly().endsWith("/chat/completions"))
                .filter(r -> ("Bearer " + key).equals(r.header("Authorization"))).count();
    }

    /** A node as steward serve starts one: resuming tasks, in the registry, following memory and task events. */
    static Steward serving(Path home, DatabaseConfig postgres, String moreYaml, Map<String, String> moreEnv)
            throws IOException {
        writeConfig(home, postgres, moreYaml.startsWith("cluster:") ? moreYaml : FAST_CLUSTER + moreYaml);
        Map<String, String> env = new HashMap<>(moreEnv);
        env.put("STEWARD_HOME", home.toString());
        Steward steward = Steward.load(env, Steward.Lifetime.SHORT);
        steward.runner().resumeAll();
        steward.cluster().orElseThrow().start(steward.runner(), steward.tasks());
        steward.memory();
        return steward;
    }

    static void writeConfig(Path home, DatabaseConfig postgres, String moreYaml) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("steward.yaml"), "database:\n  url: \"" + postgres.url() + "\"\n  user: "
                + postgres.user() + "\n  password: \"\"\n" + moreYaml);
    }
}
