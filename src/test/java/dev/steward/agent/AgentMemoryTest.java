package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.memory.Fact;
import dev.steward.memory.Memory;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.router.ChatMessage;
import dev.steward.router.ModelCallLog;
import dev.steward.router.OfflineModel;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with memory: context in every request, learning after every exchange, the memory tools offline. */
class AgentMemoryTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    Memory memory;

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        for (String user : List.of("ann", "bob")) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO users (id, name, role, created_at) VALUES (?, ?, 'user', 0)", user, user));
        }
        memory = new Memory(database, new SqlMemorySearch(database), new PatternFactExtractor(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    Agent agent(Router router) {
        return new Agent(router, tasks, new ActionGate(new Tools(MemoryTools.all(memory)), ActionsConfig.defaults(),
                database, Clock.systemUTC()), 6, memory);
    }

    List<String> eventTypes(Task task) {
        return tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).map(e -> e.type().id()).toList();
    }

    @Test
    void learnsFromAnExchangeAndPutsItIntoTheNextRequestsContext() {
        ScriptedModel model = new ScriptedModel().thenAnswer("Noted.").thenAnswer("Dear John, …");
        Agent agent = agent(new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO));

        Task told = agent.ask(AskRequest.of("ann", "John is our CFO"), TaskListener.NONE);
        assertThat(eventTypes(told)).containsSubsequence("model_call", "memory", "done");
        assertThat(memory.facts("ann", false)).extracting(Fact::value).containsExactly("John");
        assertThat(memory.episodes("ann")).singleElement().satisfies(e -> {
            assertThat(e.input()).isEqualTo("John is our CFO");
            assertThat(e.taskId()).isEqualTo(told.id());
        });

        agent.ask(AskRequest.of("ann", "draft a note to the CFO"), TaskListener.NONE);

        List<ChatMessage> sent = model.lastRequest().messages();
        // The prompt and core memory are a stable prefix for the provider's cache; what memory recalls changes with
        // each message and comes after them.
        assertThat(sent.get(0)).isEqualTo(ChatMessage.system(Agent.SYSTEM_PROMPT).asCacheable());
        assertThat(sent.get(1).content()).startsWith("What you remember about this user").contains("[core:persona]")
                .doesNotContain("John");
        assertThat(sent.get(1).cacheable()).isTrue();
        assertThat(sent.get(2).role()).isEqualTo(ChatMessage.Role.SYSTEM);
        assertThat(sent.get(2).content()).containsPattern("\\[fact:[0-9a-z]{10}\\] John is your CFO");
        assertThat(sent.get(2).cacheable()).isFalse();
        assertThat(sent.get(3)).isEqualTo(ChatMessage.user("draft a note to the CFO"));
        // Another user's request carries none of it.
        agent.ask(AskRequest.of("bob", "draft a note to the CFO"), TaskListener.NONE);
        assertThat(model.lastRequest().messages()).noneMatch(m -> m.content().contains("John"));
    }

    @Test
    void aMemoryToolCallIsNotLearnedTwiceAndSecretsAreNeverStored() {
        ScriptedModel model = new ScriptedModel()
                .thenCall(OfflineModel.REMEMBER_TOOL, "{\"text\":\"John is our CFO\"}").thenAnswer("Noted.")
                .thenCall(OfflineModel.REMEMBER_TOOL, "{\"text\":\"Sarah is our CFO\"}").thenAnswer("Which one?")
                .thenAnswer("I won't keep that.");
        Agent agent = agent(new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO));

        agent.ask(AskRequest.of("ann", "John is our CFO"), TaskListener.NONE);
        agent.ask(AskRequest.of("ann", "Sarah is our CFO"), TaskListener.NONE);
        Task secret = agent.ask(AskRequest.of("ann", "my password is hunter22"), TaskListener.NONE);

        assertThat(memory.facts("ann", true)).extracting(Fact::value).containsExactly("John");
        assertThat(memory.pendingContradictions("ann")).hasSize(1);
        assertThat(tasks.events(secret.id())).anySatisfy(e -> assertThat(e.message()).contains("left out a password"));
        assertThat(memory.episodes("ann")).extracting(e -> e.input()).noneMatch(i -> i.contains("hunter22"));
    }

    @Test
    void offlineTheMemoryCommandsWorkEndToEnd() {
        Agent agent = agent(new Router(List.of(), new ModelCallLog(database), RoutingMode.AUTO));

        Task remember = agent.ask(AskRequest.of("local", "remember that my company is Acme Corp"), TaskListener.NONE);
        assertThat(remember.status()).isEqualTo(TaskStatus.DONE);
        assertThat(remember.answer()).contains("I'll remember: Your company is Acme Corp");
        assertThat(eventTypes(remember)).containsExactly("started", "model_call", "tool_call", "tool_result",
                "model_call", "done");

        Task recall = agent.ask(AskRequest.of("local", "what do you know about my company?"), TaskListener.NONE);
        assertThat(recall.answer()).contains("Your company is Acme Corp");

        Task card = agent.ask(AskRequest.of("local", "remember that my card is 4111 1111 1111 1111"),
                TaskListener.NONE);
        assertThat(card.answer()).contains("left out a card number");
        assertThat(memory.facts("local", true)).extracting(Fact::value).containsExactly("Acme Corp");

        Task forget = agent.ask(AskRequest.of("local", "forget my company"), TaskListener.NONE);
        assertThat(forget.answer()).contains("Forgotten:", "Acme Corp");
        assertThat(agent.ask(AskRequest.of("local", "what do you know about my company?"), TaskListener.NONE)
                .answer()).doesNotContain("Acme");
    }
}
