package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The offline model is a product mode: what it answers is what a user with no model connected sees. */
class OfflineModelTest {
    static final ToolDefinition STATUS = new ToolDefinition(OfflineModel.STATUS_TOOL, "Steward's own status",
            Json.parse("{\"type\":\"object\",\"properties\":{}}"));
    static final ToolDefinition OTHER_TOOL = new ToolDefinition("files.read", "Reads a file",
            Json.parse("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));
    static final String STATUS_RESULT = """
            {"version":"0.1.0","mode":"offline","home":"/home/ann/.steward","database":"jdbc:sqlite:/home/ann/.steward/steward.db",
             "tasks":{"total":7,"done":5,"failed":1}}""";

    private final OfflineModel model = new OfflineModel();

    static ChatRequest ask(String text, ToolDefinition... tools) {
        return ChatRequest.of(List.of(ChatMessage.system("You are Steward."), ChatMessage.user(text)), List.of(tools));
    }

    @Test
    void isTheOfflineProvider() {
        assertThat(model.name()).isEqualTo("offline");
        assertThat(model.provider()).isEqualTo("offline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "hi there", "good morning", "Good morning!", "Hey", "hello?"})
    void greetsAGreeting(String greeting) {
        ChatResponse response = model.chat(ask(greeting, STATUS));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        assertThat(response.text()).startsWith("Hello!").contains("offline").doesNotContain("I can't");
        assertThat(response.model()).isEqualTo("offline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"what can you do?", "What can you do", "help", "Help!", "who are you?"})
    void listsWhatItCanDo(String question) {
        ChatResponse response = model.chat(ask(question, STATUS));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.text())
                .contains("I'm Steward")
                .contains("offline")
                .contains("status")
                .contains("steward tasks list", "steward stats", "steward doctor")
                .contains("Ollama", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY")
                .doesNotContain("I can't answer that");
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "Status?", "what's your status", "are you online?", "which model are you using"})
    void asksForTheStatusToolWhenItIsOffered(String question) {
        ChatResponse response = model.chat(ask(question, OTHER_TOOL, STATUS));

        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.text()).isEmpty();
        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo(OfflineModel.STATUS_TOOL);
            assertThat(call.id()).isNotBlank();
            assertThat(call.arguments().isObject()).isTrue();
            assertThat(call.arguments().isEmpty()).isTrue();
        });
    }

    @Test
    void describesTheStatusTheToolReturned() {
        ChatRequest first = ask("status", STATUS);
        ToolCall call = model.chat(first).toolCalls().get(0);
        List<ChatMessage> messages = new ArrayList<>(first.messages());
        messages.add(ChatMessage.assistant("", List.of(call)));
        messages.add(ChatMessage.tool(call, STATUS_RESULT));

        ChatResponse response = model.chat(ChatRequest.of(messages, List.of(STATUS)));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.text())
                .contains("Steward 0.1.0")
                .contains("offline mode")
                .contains("no model provider configured")
                .contains("Tasks: 7 in all, 5 done, 1 failed.")
                .contains("/home/ann/.steward")
                .contains("jdbc:sqlite:/home/ann/.steward/steward.db");
    }

    @Test
    void namesTheConfiguredProvidersInTheStatus() {
        String result = "{\"version\":\"0.2.0\",\"mode\":\"auto\",\"providers\":[\"ollama\",\"openai\"],"
                + "\"tasks\":{\"total\":0,\"done\":0,\"failed\":0}}";
        ChatResponse response = model.chat(afterStatusTool(result));

        assertThat(response.text()).contains("auto mode").contains("providers configured: ollama, openai");
    }

    @Test
    void saysPlainlyWhenTheStatusToolFailed() {
        ChatResponse response = model.chat(afterStatusTool("{\"error\":\"database is locked\"}"));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.text()).contains("could not read my status").contains("database is locked")
                .doesNotContain("Tasks: 0 in all");
    }

    @Test
    void saysPlainlyWhenTheStatusIsUnreadable() {
        ChatResponse response = model.chat(afterStatusTool("not json"));

        assertThat(response.text()).contains("could not read my status").contains("not json");
    }

    @Test
    void doesNotCallTheStatusToolWhenItIsNotOffered() {
        ChatResponse response = model.chat(ask("status", OTHER_TOOL));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        assertThat(response.text()).contains("offline").contains("steward doctor");
    }

    static final ToolDefinition SHELL = new ToolDefinition("shell.run", "Runs a command",
            Json.parse("{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}"));
    static final ToolDefinition LIST_FILES = new ToolDefinition(OfflineModel.LIST_FILES_TOOL, "Lists a folder",
            Json.parse("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}"));

    @Test
    void neverCallsAToolItDoesNotKnow() {
        ChatResponse response = model.chat(ask("run ls in the terminal", SHELL, STATUS));

        assertThat(response.wantsTools()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            list the files in my workspace          | {}
            what's in my workspace?                 | {}
            show me the files in the invoices folder | {"path":"invoices"}
            which files do I have in Reports/2024?  | {"path":"Reports/2024"}
            """)
    void listsWorkspaceFoldersThroughTheFilesTool(String request, String arguments) {
        ChatResponse response = model.chat(ask(request, LIST_FILES, OTHER_TOOL, STATUS));

        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("files.list");
            assertThat(call.arguments()).isEqualTo(Json.parse(arguments));
        });
    }

    @Test
    void readsAFileByTheNameAsWritten() {
        ChatResponse response = model.chat(ask("read Notes.md", LIST_FILES, OTHER_TOOL));

        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("files.read");
            assertThat(call.arguments()).isEqualTo(Json.parse("{\"path\":\"Notes.md\"}"));
        });
    }

    @Test
    void describesAListingAndAFailedOne() {
        ToolCall call = new ToolCall("call_1", "files.list", Json.object());
        ChatRequest listed = ChatRequest.of(List.of(ChatMessage.user("list my files"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.tool(call, """
                        {"path":".","entries":[{"name":"invoices","type":"folder","size":0},
                         {"name":"plan.md","type":"file","size":2048}],"truncated":false}""")), List.of(LIST_FILES));
        ChatRequest failed = ChatRequest.of(List.of(ChatMessage.user("list the old folder"),
                ChatMessage.assistant("", List.of(call)),
                ChatMessage.tool(call, "{\"status\":\"failed\",\"error\":\"no such file or folder: old\"}")),
                List.of(LIST_FILES));

        assertThat(model.chat(listed).text()).isEqualTo("Your workspace has 2 items:\n  • invoices/\n  • plan.md (2.0 KB)");
        assertThat(model.chat(failed).text()).isEqualTo("I could not list that folder: no such file or folder: old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"write me a poem about Paris", "hi, can you draft a contract?",
            "hello, please summarise my inbox for today", "What is the capital of France?", "", "   "})
    void saysWhatItCannotDoOfflineAndHowToConnectAModel(String request) {
        ChatResponse response = model.chat(ask(request, STATUS));

        assertThat(response.wantsTools()).isFalse();
        assertThat(response.text())
                .contains("can't answer that offline")
                .contains("Ollama").contains("ollama pull")
                .contains("OPENAI_BASE_URL").contains("OPENAI_API_KEY")
                .contains("ANTHROPIC_API_KEY")
                .contains("steward doctor");
    }

    @Test
    void answersTheLatestUserMessageOfAConversation() {
        List<ChatMessage> conversation = List.of(ChatMessage.system("You are Steward."),
                ChatMessage.user("write me a poem about Paris"),
                ChatMessage.assistant("I can't answer that offline."),
                ChatMessage.user("hello"));

        assertThat(model.chat(ChatRequest.of(conversation, List.of())).text()).startsWith("Hello!");
    }

    @Test
    void answersARequestWithNoMessages() {
        ChatResponse response = model.chat(ChatRequest.of(List.of(), List.of()));

        assertThat(response.text()).contains("can't answer that offline");
    }

    @Test
    void reportsTokenUsage() {
        for (ChatRequest request : List.of(ask("hello"), ask("what can you do?"), ask("write me a poem"),
                ask("status", STATUS), afterStatusTool(STATUS_RESULT))) {
            Usage usage = model.chat(request).usage();
            assertThat(usage.inputTokens()).as("input tokens of %s", request.lastUserText()).isPositive();
            assertThat(usage.outputTokens()).as("output tokens of %s", request.lastUserText()).isPositive();
        }
    }

    @Test
    void countsTheWholeConversationAsInput() {
        long short_ = model.chat(ask("hello")).usage().inputTokens();
        long long_ = model.chat(ChatRequest.of(List.of(ChatMessage.system("You are Steward. ".repeat(50)),
                ChatMessage.user("hello")), List.of())).usage().inputTokens();

        assertThat(long_).isGreaterThan(short_ + 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "what can you do?", "status", "write me a poem about Paris"})
    void isDeterministic(String text) {
        assertThat(model.chat(ask(text, STATUS))).isEqualTo(model.chat(ask(text, STATUS)));
        assertThat(new OfflineModel().chat(ask(text, STATUS))).isEqualTo(model.chat(ask(text, STATUS)));
        assertThat(model.chat(afterStatusTool(STATUS_RESULT))).isEqualTo(model.chat(afterStatusTool(STATUS_RESULT)));
    }

    @Test
    void streamsTheSameAnswerItReturns() {
        StringBuilder streamed = new StringBuilder();
        ChatResponse response = model.stream(ask("what can you do?"), chunk -> streamed.append(chunk.text()));

        assertThat(streamed.toString()).isEqualTo(response.text()).isNotEmpty();
    }

    @Test
    void streamsNothingForAToolCall() {
        StringBuilder streamed = new StringBuilder();
        ChatResponse response = model.stream(ask("status", STATUS), chunk -> streamed.append(chunk.text()));

        assertThat(response.wantsTools()).isTrue();
        assertThat(streamed).isEmpty();
    }

    static ToolDefinition memoryTool(String name) {
        return new ToolDefinition(name, "memory", Json.parse("{\"type\":\"object\",\"properties\":{}}"));
    }

    static final ToolDefinition[] MEMORY = OfflineModel.MEMORY_TOOLS.stream().map(OfflineModelTest::memoryTool)
            .toArray(ToolDefinition[]::new);

    static ToolCall onlyCall(ChatResponse response) {
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.toolCalls()).hasSize(1);
        return response.toolCalls().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remember that my company is Acme Corp", "Remember: I prefer Vercel",
            "please remember that Alice's email is alice@acme.com", "John is our CFO", "Sarah is our CFO now",
            "my company is Acme Corp", "I prefer Vercel"})
    void remembersThroughTheMemoryTool(String text) {
        ChatRequest request = ask(text, MEMORY);
        ToolCall call = onlyCall(model.chat(request));

        assertThat(call.name()).isEqualTo(OfflineModel.REMEMBER_TOOL);
        assertThat(call.arguments().path("text").asText()).isEqualTo(text);
        assertThat(model.canAnswer(request)).isTrue();
    }

    @Test
    void recallsForgetsAndShowsThroughTheMemoryTools() {
        ToolCall recall = onlyCall(model.chat(ask("What do you know about my company?", MEMORY)));
        assertThat(recall.name()).isEqualTo(OfflineModel.RECALL_TOOL);
        assertThat(recall.arguments().path("query").asText()).isEqualTo("my company");

        ToolCall who = onlyCall(model.chat(ask("who is the CFO?", MEMORY)));
        assertThat(who.name()).isEqualTo(OfflineModel.RECALL_TOOL);
        assertThat(who.arguments().path("query").asText()).isEqualTo("the CFO");

        for (String question : List.of("who leads our sales team?", "What is Alice's email?", "who is Alice Smith?",
                "who reports to Alice?", "where does Dave work?")) {
            ToolCall asked = onlyCall(model.chat(ask(question, MEMORY)));
            assertThat(asked.name()).as(question).isEqualTo(OfflineModel.RECALL_TOOL);
            assertThat(asked.arguments().path("query").asText()).as("passed whole, for the entities to answer")
                    .isEqualTo(question.replace("?", ""));
        }

        ToolCall forget = onlyCall(model.chat(ask("forget my company", MEMORY)));
        assertThat(forget.name()).isEqualTo(OfflineModel.FORGET_TOOL);
        assertThat(forget.arguments().path("query").asText()).isEqualTo("my company");

        assertThat(onlyCall(model.chat(ask("show me my data", MEMORY))).name())
                .isEqualTo(OfflineModel.SHOW_MEMORY_TOOL);
        assertThat(onlyCall(model.chat(ask("What do you know about me?", MEMORY))).name())
                .isEqualTo(OfflineModel.SHOW_MEMORY_TOOL);
    }

    @Test
    void clearingAsksFirstAndClearsOnlyWhenConfirmed() {
        ChatResponse question = model.chat(ask("clear my data", MEMORY));
        assertThat(question.wantsTools()).isFalse();
        assertThat(question.text()).contains("cannot be undone", "yes, clear my data");
        assertThat(model.canAnswer(ask("clear my data", MEMORY))).isTrue();

        ToolCall confirmed = onlyCall(model.chat(ask("Yes, clear my data", MEMORY)));
        assertThat(confirmed.name()).isEqualTo(OfflineModel.CLEAR_MEMORY_TOOL);
        assertThat(confirmed.arguments().path("confirm").asBoolean()).isTrue();

        ChatRequest afterQuestion = ChatRequest.of(List.of(ChatMessage.system("You are Steward."),
                ChatMessage.user("clear my data"), ChatMessage.assistant(question.text()), ChatMessage.user("yes")),
                List.of(MEMORY));
        assertThat(onlyCall(model.chat(afterQuestion)).name()).isEqualTo(OfflineModel.CLEAR_MEMORY_TOOL);
        // A bare "yes" with no question before it clears nothing.
        assertThat(model.chat(ask("yes", MEMORY)).wantsTools()).isFalse();
    }

    @Test
    void phrasesTheMemoryToolsResult() {
        ChatRequest first = ask("what do you know about my company?", MEMORY);
        ToolCall call = model.chat(first).toolCalls().get(0);
        List<ChatMessage> messages = new ArrayList<>(first.messages());
        messages.add(ChatMessage.assistant("", List.of(call)));
        messages.add(ChatMessage.tool(call, "{\"summary\":\"Here is what I know about my company:\\n• Your company is Acme Corp.\"}"));
        ChatRequest second = ChatRequest.of(messages, List.of(MEMORY));

        assertThat(model.canAnswer(second)).isTrue();
        ChatResponse response = model.chat(second);
        assertThat(response.wantsTools()).isFalse();
        assertThat(response.text()).isEqualTo("Here is what I know about my company:\n• Your company is Acme Corp.");

        messages.set(messages.size() - 1, ChatMessage.tool(call, "{\"error\":\"disk full\"}"));
        assertThat(model.chat(ChatRequest.of(messages, List.of(MEMORY))).text()).contains("disk full");
    }

    @ParameterizedTest
    @ValueSource(strings = {"remember that my company is Acme Corp", "what do you know about my company?",
            "John is our CFO", "forget my company", "show me my data"})
    void leavesMemoryCommandsAloneWithoutTheMemoryTools(String text) {
        ChatRequest request = ask(text, STATUS);

        assertThat(model.chat(request).wantsTools()).isFalse();
        assertThat(model.canAnswer(request)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"what's your status", "write me a poem about Paris", "hello", "who are you?"})
    void doesNotMistakeOtherMessagesForMemoryCommands(String text) {
        ChatResponse response = model.chat(ask(text, MEMORY));

        assertThat(response.toolCalls()).noneMatch(c -> c.name().startsWith("memory."));
    }

    @Test
    void aQuestionNoPatternReadsIsLookedUpInTheUsersDocumentsAndAnsweredOnlyFromAPassage() {
        ChatRequest question = ask("how many days of leave do I get?", MEMORY);
        ToolCall call = model.chat(question).toolCalls().getFirst();
        assertThat(call.name()).isEqualTo(OfflineModel.RECALL_TOOL);
        assertThat(call.arguments().path("query").asText()).isEqualTo("how many days of leave do I get?");
        assertThat(model.canAnswer(question)).as("not a last resort for a failed model").isFalse();

        String quoted = "From your documents, Handbook § Leave, #2 (/docs/handbook.md):\n27 days a year.";
        assertThat(model.chat(afterRecall(question, "{\"summary\":\"" + quoted.replace("\n", "\\n")
                + "\",\"passages\":[{\"title\":\"Handbook\"}]}")).text()).isEqualTo(quoted);
        assertThat(model.chat(afterRecall(ask("what is the capital of France?", MEMORY), "{\"summary\":\"I have no"
                + " facts about it, but we talked about it\",\"passages\":[]}")).text())
                .startsWith("I can't answer that offline");
    }

    private static ChatRequest afterRecall(ChatRequest question, String result) {
        ToolCall call = new ToolCall("call_1", OfflineModel.RECALL_TOOL, Json.object().put("query", "q"));
        List<ChatMessage> messages = new java.util.ArrayList<>(question.messages());
        messages.add(ChatMessage.assistant("", List.of(call)));
        messages.add(ChatMessage.tool(call, result));
        return ChatRequest.of(messages, List.of(MEMORY));
    }

    private static ChatRequest afterStatusTool(String result) {
        ToolCall call = new ToolCall("call_1", OfflineModel.STATUS_TOOL, Json.object());
        return ChatRequest.of(List.of(ChatMessage.system("You are Steward."), ChatMessage.user("status"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.tool(call, result)), List.of(STATUS));
    }
}
