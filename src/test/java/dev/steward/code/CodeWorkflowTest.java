package dev.steward.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskJournal;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.config.RoutingMode;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code workflow on a real Python project, its tests run by the real sandbox (bubblewrap) through the gate, the
 * model scripted: the Employee writes a wrong version first and the right one in round two.
 */
class CodeWorkflowTest {
    static final ToolContext USER = new ToolContext("local", null, Role.ADMIN);
    static final String CALC = "def add(a, b):\n    return a + b\n";
    static final String TESTS = """
            import unittest
            from calc import add

            class AddTest(unittest.TestCase):
                def test_add(self):
                    self.assertEqual(add(2, 3), 5)
            """;
    static final String PLAN = """
            {"plan": "add mul to calc.py and a test for it", "files": ["calc.py", "test_calc.py"]}""";
    static final String REQUEST = "add a function mul(a, b) that multiplies, with a test";

    @TempDir
    static Path home;
    static Path workspace;
    static Database database;
    static TaskStore tasks;
    static ActionGate gate;
    static ScriptedModel model;
    static TaskRunner runner;
    static CodeWorkflow workflow;

    @BeforeAll
    static void start() {
        workspace = home.resolve("workspace");
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        gate = new ActionGate(new Tools(BuiltinTools.create(ActionsConfig.defaults(), workspace)),
                ActionsConfig.defaults(), database, Clock.systemUTC());
        model = new ScriptedModel();
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        runner = new TaskRunner(new Agent(router, tasks, gate, 5), tasks);
        workflow = new CodeWorkflow(gate, router, workspace);
    }

    @AfterAll
    static void stop() {
        runner.close();
        database.close();
    }

    static String project(String name) throws Exception {
        Path dir = Files.createDirectories(workspace.resolve(name));
        Files.writeString(dir.resolve("calc.py"), CALC);
        Files.writeString(dir.resolve("test_calc.py"), TESTS);
        return name;
    }

    static String files(String calc) {
        ObjectNode answer = Json.object();
        answer.putArray("files")
                .add(Json.object().put("path", "calc.py").put("content", CALC + "\n\ndef mul(a, b):\n    return "
                        + calc + "\n"))
                .add(Json.object().put("path", "test_calc.py").put("content", TESTS.replace("from calc import add",
                        "from calc import add, mul") + "\n    def test_mul(self):\n        self.assertEqual(mul(3, 4), 12)\n"));
        return Json.write(answer.put("note", "mul added"));
    }

    static String verdict(String verdict, String feedback) {
        return Json.write(Json.object().put("verdict", verdict).put("feedback", feedback));
    }

    CodeResult run(String project, int rounds) {
        CodeRequest request = workflow.checked(new CodeRequest(REQUEST, project, null, rounds));
        TaskJournal journal = runner.journal("local", REQUEST, "code", "cli");
        return workflow.run(request, journal, USER);
    }

    @Test
    void aFailingFirstVersionIsSentBackAndTheFixedOnePassesInRoundTwo() throws Exception {
        String project = project("calc");
        int before = model.requests().size();
        model.thenAnswer(PLAN)
                .thenAnswer(files("a + b"))
                // The Supervisor tries to pass a change whose tests fail: the workflow sends it back all the same.
                .thenAnswer(verdict("pass", "looks fine"))
                .thenAnswer(files("a * b"))
                .thenAnswer(verdict("pass", "mul multiplies and is tested"));

        CodeResult result = run(project, 3);

        assertThat(result.passed()).as(result.reason()).isTrue();
        assertThat(result.rounds()).isEqualTo(2);
        assertThat(result.tests()).extracting(TestRun::passed).containsExactly(false, true);
        assertThat(result.tests().getFirst().output()).contains("AssertionError").contains("7 != 12");
        // Round two's Employee read why round one was sent back: the failing test's own output.
        String roundTwo = model.requests().get(before + 3).messages().getLast().content();
        assertThat(roundTwo).contains("the tests fail, so the change cannot pass").contains("7 != 12");
        assertThat(result.diff()).contains("--- a/calc.py\n+++ b/calc.py\n").contains("+def mul(a, b):\n")
                .contains("+    return a * b").contains("+        self.assertEqual(mul(3, 4), 12)")
                .doesNotContain("+    return a + b");
        // Nothing of it is in the project yet: the work happened in the copy.
        assertThat(Files.readString(workspace.resolve("calc/calc.py"))).isEqualTo(CALC);
        assertThat(workspace.resolve(result.scratch()).resolve("calc.py")).content().contains("return a * b");

        List<TaskEvent> events = tasks.events(result.taskId());
        assertThat(events).extracting(TaskEvent::type).startsWith(TaskEvent.Kind.STARTED, TaskEvent.Kind.PLAN)
                .contains(TaskEvent.Kind.STEP, TaskEvent.Kind.TOOL_RESULT, TaskEvent.Kind.REVIEW)
                .endsWith(TaskEvent.Kind.DONE);
        assertThat(events.stream().filter(e -> e.type() == TaskEvent.Kind.REVIEW).map(e -> e.data().path("verdict")
                .asText())).containsExactly("revise", "pass");
        assertThat(tasks.find(result.taskId()).orElseThrow()).satisfies(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.DONE);
            assertThat(t.agent()).isEqualTo("code");
            assertThat(t.answer()).contains("```diff").contains("steward code apply " + result.taskId());
        });

        CodeChanges changes = new CodeChanges(tasks, gate, workspace);
        CodeResult stored = changes.result(result.taskId()).orElseThrow();
        assertThat(stored.diff()).isEqualTo(result.diff());
        assertThat(changes.apply(stored, USER)).containsExactly("calc/calc.py", "calc/test_calc.py");
        assertThat(Files.readString(workspace.resolve("calc/calc.py"))).contains("return a * b");
        // The applied project passes its own tests in the sandbox.
        ActionGate.Outcome tested = gate.call("shell.run", Json.object()
                .put("command", "python3 -m unittest -q").put("folder", "calc"), USER);
        assertThat(tested.asJson().path("exit_code").asInt()).as(tested.asJson().toString()).isZero();
        // Applied once: the project no longer is what the change was made against.
        assertThatThrownBy(() -> changes.apply(stored, USER)).isInstanceOf(CodeChanges.NotApplicable.class)
                .hasMessageContaining("changed since task " + result.taskId());
    }

    @Test
    void whenTheRoundsAreSpentItGivesUpSayingWhyAndNothingCanBeApplied() throws Exception {
        String project = project("calc-spent");
        model.thenAnswer(PLAN).thenAnswer(files("a - b")).thenAnswer(verdict("revise", "mul subtracts"));

        CodeResult result = run(project, 1);

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).startsWith("gave up after 1 round: tests failed (exit 1)");
        assertThat(tasks.find(result.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.diff()).contains("+    return a - b");
        assertThatThrownBy(() -> new CodeChanges(tasks, gate, workspace).apply(result, USER))
                .hasMessageContaining("did not pass");
        assertThat(Files.readString(workspace.resolve("calc-spent/calc.py"))).isEqualTo(CALC);
    }

    @Test
    void testsThatReachForTheRealProjectSeeOnlyTheCopy() throws Exception {
        String project = project("calc-reach");
        String vandal = "import os\nos.makedirs('/workspace/../calc-reach', exist_ok=True)\n"
                + "open('/workspace/../calc-reach/calc.py', 'w').write('broken')\n" + TESTS;
        model.thenAnswer(PLAN)
                .thenAnswer(Json.write(Json.object().set("files", Json.mapper().createArrayNode()
                        .add(Json.object().put("path", "test_calc.py").put("content", vandal)))))
                .thenAnswer(verdict("give_up", "cannot be done"));

        CodeResult result = run(project, 2);

        assertThat(result.reason()).isEqualTo("the Supervisor gave up: cannot be done");
        assertThat(Files.readString(workspace.resolve("calc-reach/calc.py"))).isEqualTo(CALC);
    }

    @Test
    void aShellRunWithAFolderSeesAndWritesOnlyThatFolder() throws Exception {
        Files.createDirectories(workspace.resolve("iso/inner"));
        Files.writeString(workspace.resolve("neighbour.txt"), "not for the tests");
        ActionGate.Outcome ran = gate.call("shell.run", Json.object().put("folder", "iso").put("command",
                "ls -a /workspace; cat /workspace/../neighbour.txt; echo made > /workspace/inner/made.txt"), USER);

        assertThat(ran.asJson().path("stdout").asText()).contains("inner").doesNotContain("neighbour")
                .doesNotContain("not for the tests");
        assertThat(workspace.resolve("iso/inner/made.txt")).hasContent("made");
        assertThat(gate.call("shell.run", Json.object().put("folder", "../elsewhere").put("command", "true"), USER)
                .message()).contains("leads out of the workspace");
        assertThat(gate.call("shell.run", Json.object().put("folder", "no-such").put("command", "true"), USER)
                .message()).contains("folder 'no-such' is not a folder of the workspace");
    }

    @Test
    void aCancelledCodeTaskStopsBeforeItsNextRoundAndEndsCancelled() throws Exception {
        String project = project("calc-cancel");
        model.thenAnswer(PLAN);
        CodeRequest request = workflow.checked(new CodeRequest(REQUEST, project, null, 3));
        TaskJournal journal = runner.journal("local", REQUEST, "code", "cli");
        assertThat(runner.cancel("local", journal.taskId())).isTrue();

        CodeResult result = workflow.run(request, journal, USER);

        assertThat(result.reason()).isEqualTo("cancelled");
        assertThat(tasks.find(result.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(tasks.events(result.taskId())).extracting(TaskEvent::type).endsWith(TaskEvent.Kind.CANCELLED)
                .doesNotContain(TaskEvent.Kind.STEP);
    }

    @Test
    void aRequestItCannotRunIsAUsageErrorBeforeAnyTaskIsRecorded() throws Exception {
        assertThatThrownBy(() -> workflow.checked(new CodeRequest(REQUEST, "nowhere", null, 3)))
                .hasMessageContaining("no project folder 'nowhere'").hasMessageContaining("--project");
        Files.createDirectories(workspace.resolve("bare"));
        Files.writeString(workspace.resolve("bare/README"), "no tests here");
        assertThatThrownBy(() -> workflow.checked(new CodeRequest(REQUEST, "bare", null, 3)))
                .hasMessageContaining("--test");
        assertThatThrownBy(() -> new CodeRequest(REQUEST, "calc", null, 0)).hasMessageContaining("rounds must be 1 to 10");
        assertThatThrownBy(() -> new CodeRequest(" ", "calc", null, 3)).hasMessageContaining("the request is empty");
        CodeWorkflow offline = new CodeWorkflow(gate, null, workspace);
        assertThatThrownBy(() -> offline.checked(new CodeRequest(REQUEST, "bare", "true", 3)))
                .hasMessageContaining("needs a model");
    }
}
