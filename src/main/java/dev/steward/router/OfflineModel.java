package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.DataFence;
import dev.steward.support.Json;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The embedded default: a deterministic model that needs no network. It handles what can be done without a
 * language model (greetings, what Steward can do, status through the {@value #STATUS_TOOL} tool) and says
 * plainly, with the exact steps, how to connect a real model for everything else. Memory commands ("remember that
 * …", "what do you know about …", "forget …", "show me my data", "clear my data") and plain statements of fact go to
 * the memory tools when they are offered; this model knows only their names, and answers with the summary their
 * result carries. Workspace files are listed and read through {@value #LIST_FILES_TOOL} and {@value #READ_FILE_TOOL}
 * ("list the files in my workspace", "what's in the invoices folder", "read notes.md").
 */
public final class OfflineModel implements ChatModel {
    public static final String NAME = "offline";
    public static final String STATUS_TOOL = "steward.status";
    public static final String REMEMBER_TOOL = "memory.remember";
    public static final String RECALL_TOOL = "memory.recall";
    public static final String FORGET_TOOL = "memory.forget";
    public static final String SHOW_MEMORY_TOOL = "memory.show";
    public static final String CLEAR_MEMORY_TOOL = "memory.clear";
    public static final String LIST_FILES_TOOL = "files.list";
    public static final String READ_FILE_TOOL = "files.read";
    static final List<String> MEMORY_TOOLS = List.of(REMEMBER_TOOL, RECALL_TOOL, FORGET_TOOL, SHOW_MEMORY_TOOL,
            CLEAR_MEMORY_TOOL);
    static final String CONFIRM_CLEAR = "This deletes everything I remember about you: facts, their history and our "
            + "past conversations. It cannot be undone (export first with `steward memory export` if you want a copy). "
            + "To go ahead, say \"yes, clear my data\".";

    /** What the user said, as far as a model with no language understanding can tell. */
    enum Recognised {
        GREETING, CAPABILITIES, STATUS, THANKS, FAREWELL, SMALL_TALK, REMEMBER, RECALL, FORGET, SHOW_MEMORY,
        CLEAR_MEMORY, CLEAR_CONFIRMED, STATEMENT, OTHER
    }

    /** What to remember, recall or forget, as the user wrote it (case kept). */
    record MemoryRequest(Recognised kind, String argument) {}

    private static final Pattern REMEMBER = Pattern.compile(
            "^(?:please )?(?:remember|note|keep in mind|don't forget)(?: that)?\\b\\s*[:,]?\\s*(.+)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW_MEMORY = Pattern.compile(
            "^(show( me)? my (data|memory|memories)|show me what you (know|remember)( about me)?|what do you (know|remember)"
                    + "( about me)?|what do you know about me|list my (data|memories|facts))$");
    private static final Pattern RECALL = Pattern.compile(
            "^(?:what do you (?:know|remember) about|what did i tell you about|tell me what you know about"
                    + "|do you remember|what(?:'s| is) (?=(?:my|our) )|who(?:'s| is) (?=(?:my|our|the) )"
                    // questions the entities answer are passed whole: "who leads our sales team?"
                    + "|(?=what(?:'s| is) [\\w.-]+(?: [\\w.-]+){0,2}'s? \\w)|(?=who(?:'s| is) \\p{Lu})"
                    + "|(?=who (?:leads|runs|heads|manages|is in charge of|reports to|works at|works for) )"
                    + "|(?=where does \\S+(?: \\S+)? work))\\s*(.+?)\\??$",
            Pattern.CASE_INSENSITIVE);
    /** A question no pattern above reads: offline, only the user's documents may answer it. */
    private static final Pattern QUESTION = Pattern.compile(
            "^(what|who|whom|which|where|when|why|how|do|does|did|is|are|can|could|should|will|would)\\b.*");
    private static final Pattern FORGET = Pattern.compile(
            "^(?:please )?forget(?: about| that| everything about| what i said about)?\\s+(.+?)[.!]?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CLEAR_MEMORY = Pattern.compile(
            "^(clear|delete|erase|wipe|forget) (all )?(of )?(my data|my memory|my memories|everything"
                    + "( you know( about me)?)?)( please)?$");
    private static final Pattern CLEAR_CONFIRMED = Pattern.compile(
            "^(yes|confirm|confirmed|yes please)( please)?( (clear|delete|erase|wipe) (all )?(of )?(my data|my memory"
                    + "|my memories|everything))$");
    private static final Pattern YES = Pattern.compile("^(yes|yes please|confirm|do it|go ahead)$");
    private static final Pattern STATEMENT = Pattern.compile(
            "^(?!(what|who|whom|which|where|when|why|how|it|this|that|there|here|he|she|they|is|are)\\b)"
                    + "((my|our) [\\w' -]{2,40} is .+|[\\w.-]+ is (now )?(our|the) (new )?[\\w -]{2,30}|[\\w.-]+'s [\\w -]{2,30} is .+"
                    + "|i (really |usually )?(prefer|work at|work for) .+|we use .+|[\\w.-]+ has replaced [\\w.-]+ as .+)$");

    private static final Pattern LIST_FILES = Pattern.compile(
            "^(?:please |can you |could you )?(?:list|show(?: me)?|what(?:'s| is| are)|which)\\b"
                    + ".*\\b(?:files?|workspace|folders?|documents)\\b.*");
    private static final Pattern FOLDER = Pattern.compile(
            "\\b(?:in|inside|under|of) (?:the |my )?(?:folder )?([\\w./-]+?)(?: folder| directory)?$");
    private static final Pattern READ_FILE = Pattern.compile(
            "^(?:please )?(?:read|open|show(?: me)?|print|cat)(?: the)?(?: file)? ([\\w./-]+\\.[a-z0-9]{1,5})$");

    private static final Pattern GREETING = Pattern.compile(
            "^(hello|hi|hey|hiya|howdy|greetings|yo|good (morning|afternoon|evening|day)|hallo|hola|bonjour)\\b.*");
    private static final Pattern CAPABILITIES = Pattern.compile(
            ".*\\b(what can you do|what do you do|what are you|who are you|what is steward|your capabilities"
                    + "|how (do|can) i use you|how does this work|what can i ask)\\b.*|^(help|help me|\\?|commands|capabilities)$");
    private static final Pattern STATUS = Pattern.compile(
            ".*\\b(status|are you (online|offline|connected|working)|which model|what model|are you up)\\b.*");
    private static final Pattern THANKS = Pattern.compile("^(thanks|thank you|thx|cheers|ty|much appreciated)\\b.*");
    private static final Pattern FAREWELL = Pattern.compile("^(bye|goodbye|good night|see you|later|farewell)\\b.*");
    private static final Pattern SMALL_TALK = Pattern.compile("^(how are you|how's it going|how are things|what's up|sup)\\b.*");

    static final String CONNECT_A_MODEL = """
            To connect one:
              • Ollama (local, free): install Ollama, run `ollama pull llama3.2`, and Steward finds it on \
            localhost:11434 (or set OLLAMA_HOST).
              • Any OpenAI-compatible server (vLLM, LM Studio, LiteLLM): export OPENAI_BASE_URL=http://localhost:8000/v1 \
            (and OPENAI_API_KEY if it needs one).
              • A cloud model: export OPENAI_API_KEY=… or ANTHROPIC_API_KEY=…
            Then run `steward doctor` to check the connection.""";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String provider() {
        return NAME;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.isEmpty() ? ChatMessage.user("") : messages.get(messages.size() - 1);
        if (last.role() == ChatMessage.Role.TOOL && STATUS_TOOL.equals(last.name())) {
            return answer(request, describeStatus(DataFence.unwrap(last.content())));
        }
        if (last.role() == ChatMessage.Role.TOOL && MEMORY_TOOLS.contains(last.name())) {
            String result = DataFence.unwrap(last.content());
            return answer(request, memoryRequest(request) == null && !quotesDocuments(result) ? reply(Recognised.OTHER)
                    : describeMemoryResult(result));
        }
        if (last.role() == ChatMessage.Role.TOOL && LIST_FILES_TOOL.equals(last.name())) {
            return answer(request, describeListing(DataFence.unwrap(last.content())));
        }
        if (last.role() == ChatMessage.Role.TOOL && READ_FILE_TOOL.equals(last.name())) {
            return answer(request, describeFile(DataFence.unwrap(last.content())));
        }
        MemoryRequest memory = memoryRequest(request);
        if (memory != null) {
            String tool = memoryTool(memory.kind());
            if (tool == null) {
                return answer(request, CONFIRM_CLEAR);
            }
            ObjectNode arguments = Json.object();
            switch (memory.kind()) {
                case REMEMBER, STATEMENT -> arguments.put("text", memory.argument());
                case RECALL, FORGET -> arguments.put("query", memory.argument());
                case CLEAR_CONFIRMED -> arguments.put("confirm", true);
                default -> { }
            }
            ToolCall call = new ToolCall("call_memory_" + messages.size(), tool, arguments);
            return new ChatResponse("", List.of(call), usage(request, call.name() + Json.write(call.arguments())),
                    NAME, ChatResponse.FinishReason.TOOL_CALLS);
        }
        ToolCall files = filesCall(request);
        if (files != null) {
            return new ChatResponse("", List.of(files), usage(request, files.name() + Json.write(files.arguments())),
                    NAME, ChatResponse.FinishReason.TOOL_CALLS);
        }
        Recognised recognised = recognise(request.lastUserText());
        if (recognised == Recognised.STATUS && request.offersTool(STATUS_TOOL)) {
            // The id only has to be unique within the conversation, and the same input must give the same output.
            ToolCall call = new ToolCall("call_status_" + messages.size(), STATUS_TOOL, Json.object());
            return new ChatResponse("", List.of(call), usage(request, call.name() + Json.write(call.arguments())),
                    NAME, ChatResponse.FinishReason.TOOL_CALLS);
        }
        if (recognised == Recognised.OTHER && QUESTION.matcher(request.lastUserText().strip().toLowerCase(Locale.ROOT))
                .matches() && request.offersTool(RECALL_TOOL)) {
            // the user's own documents may answer it: the best passage is quoted with its source, nothing is guessed
            ToolCall call = new ToolCall("call_memory_" + messages.size(), RECALL_TOOL,
                    Json.object().put("query", request.lastUserText().strip()));
            return new ChatResponse("", List.of(call), usage(request, call.name() + Json.write(call.arguments())),
                    NAME, ChatResponse.FinishReason.TOOL_CALLS);
        }
        return answer(request, reply(recognised));
    }

    /** Whether a recall's result quotes passages of the user's documents (a question only they can answer offline). */
    private static boolean quotesDocuments(String toolResult) {
        try {
            return !Json.parse(toolResult).path("passages").isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether this model has a real answer for the request — something it recognises, or a status tool round — rather
     * than its explanation of how to connect a model. As the router's last resort after a real model failed, it only
     * answers what it can; the caller hears the real failure otherwise.
     */
    public boolean canAnswer(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        if (!messages.isEmpty() && messages.get(messages.size() - 1).role() == ChatMessage.Role.TOOL) {
            String name = messages.get(messages.size() - 1).name();
            return STATUS_TOOL.equals(name) || MEMORY_TOOLS.contains(name) || LIST_FILES_TOOL.equals(name)
                    || READ_FILE_TOOL.equals(name);
        }
        if (memoryRequest(request) != null || filesCall(request) != null) {
            return true;
        }
        Recognised recognised = recognise(request.lastUserText());
        return recognised != Recognised.OTHER && (recognised != Recognised.STATUS || request.offersTool(STATUS_TOOL));
    }

    /**
     * A memory command this model can carry out with the tools the request offers, or null. A plain statement of
     * fact ("John is our CFO") is remembered too; "clear my data" asks first, and clears only when confirmed.
     */
    static MemoryRequest memoryRequest(ChatRequest request) {
        String original = request.lastUserText().strip();
        String said = original.toLowerCase(Locale.ROOT).replaceAll("[!.,;:?]+", " ").replaceAll("\\s+", " ").strip();
        if (said.isEmpty()) {
            return null;
        }
        MemoryRequest found = null;
        java.util.regex.Matcher m;
        if (CLEAR_CONFIRMED.matcher(said).matches() || (YES.matcher(said).matches() && askedToConfirmClear(request))) {
            found = new MemoryRequest(Recognised.CLEAR_CONFIRMED, "");
        } else if (CLEAR_MEMORY.matcher(said).matches()) {
            found = new MemoryRequest(Recognised.CLEAR_MEMORY, "");
        } else if (SHOW_MEMORY.matcher(said).matches()) {
            found = new MemoryRequest(Recognised.SHOW_MEMORY, "");
        } else if ((m = REMEMBER.matcher(original)).matches() && !m.group(1).isBlank()) {
            found = new MemoryRequest(Recognised.REMEMBER, original);
        } else if ((m = RECALL.matcher(original)).matches() && !m.group(1).isBlank()) {
            found = new MemoryRequest(Recognised.RECALL, m.group(1).strip());
        } else if ((m = FORGET.matcher(original)).matches() && !m.group(1).isBlank()) {
            found = new MemoryRequest(Recognised.FORGET, m.group(1).strip());
        } else if (STATEMENT.matcher(said).matches() && !original.endsWith("?")) {
            found = new MemoryRequest(Recognised.STATEMENT, original);
        }
        if (found == null) {
            return null;
        }
        String tool = memoryTool(found.kind());
        boolean offered = tool == null ? request.offersTool(CLEAR_MEMORY_TOOL) : request.offersTool(tool);
        return offered ? found : null;
    }

    private static boolean askedToConfirmClear(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.ASSISTANT) {
                return CONFIRM_CLEAR.equals(messages.get(i).content());
            }
        }
        return false;
    }

    /** A workspace request this model can carry out with the files tools the request offers, or null. */
    static ToolCall filesCall(ChatRequest request) {
        String said = request.lastUserText().strip().replaceAll("[?!.]+$", "").strip();
        String lower = said.toLowerCase(Locale.ROOT);
        java.util.regex.Matcher read = READ_FILE.matcher(lower);
        if (read.matches() && request.offersTool(READ_FILE_TOOL)) {
            // The path as the user wrote it: file names are case-sensitive.
            String path = said.substring(said.length() - read.group(1).length());
            return new ToolCall("call_files_" + request.messages().size(), READ_FILE_TOOL,
                    Json.object().put("path", path));
        }
        if (!LIST_FILES.matcher(lower).matches() || !request.offersTool(LIST_FILES_TOOL)) {
            return null;
        }
        ObjectNode arguments = Json.object();
        java.util.regex.Matcher folder = FOLDER.matcher(lower);
        if (folder.find() && !folder.group(1).matches("workspace|files|documents|folders?|it|there|here")) {
            arguments.put("path", said.substring(folder.start(1), folder.end(1)));
        }
        return new ToolCall("call_files_" + request.messages().size(), LIST_FILES_TOOL, arguments);
    }

    private static String describeListing(String toolResult) {
        JsonNode listing = Json.parse(toolResult);
        if (listing.hasNonNull("error")) {
            return "I could not list that folder: " + listing.path("error").asText();
        }
        JsonNode entries = listing.path("entries");
        String where = listing.path("path").asText("");
        String place = where.isEmpty() || where.equals(".") || where.equals("/") ? "Your workspace" : where;
        if (entries.isEmpty()) {
            return place + " is empty.";
        }
        StringBuilder text = new StringBuilder(place).append(" has ").append(entries.size())
                .append(entries.size() == 1 ? " item" : " items").append(':');
        for (JsonNode entry : entries) {
            text.append("\n  • ").append(entry.path("name").asText());
            if (entry.path("type").asText().equals("folder")) {
                text.append("/");
            } else {
                text.append(" (").append(size(entry.path("size").asLong())).append(')');
            }
        }
        if (listing.path("truncated").asBoolean()) {
            text.append("\n  … and more");
        }
        return text.toString();
    }

    private static String describeFile(String toolResult) {
        JsonNode file = Json.parse(toolResult);
        if (file.hasNonNull("error")) {
            return "I could not read that file: " + file.path("error").asText();
        }
        return file.path("path").asText() + ":\n" + file.path("content").asText();
    }

    private static String size(long bytes) {
        return bytes < 1024 ? bytes + " B" : bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** The tool for a memory command; null for "clear my data", which is a question back first. */
    private static String memoryTool(Recognised kind) {
        return switch (kind) {
            case REMEMBER, STATEMENT -> REMEMBER_TOOL;
            case RECALL -> RECALL_TOOL;
            case FORGET -> FORGET_TOOL;
            case SHOW_MEMORY -> SHOW_MEMORY_TOOL;
            case CLEAR_CONFIRMED -> CLEAR_MEMORY_TOOL;
            default -> null;
        };
    }

    private static String describeMemoryResult(String toolResult) {
        JsonNode result;
        try {
            result = Json.parse(toolResult);
        } catch (IllegalArgumentException e) {
            return "My memory gave an answer I could not read: " + toolResult;
        }
        if (result.hasNonNull("error")) {
            return "I could not do that with my memory: " + result.path("error").asText();
        }
        return result.path("summary").asText("Done.");
    }

    static Recognised recognise(String text) {
        String said = text.toLowerCase(Locale.ROOT).strip().replaceAll("[!.,;:]+", " ").replaceAll("\\s+", " ").strip();
        if (said.isEmpty()) {
            return Recognised.OTHER;
        }
        if (CAPABILITIES.matcher(said).matches()) {
            return Recognised.CAPABILITIES;
        }
        if (STATUS.matcher(said).matches()) {
            return Recognised.STATUS;
        }
        if (SMALL_TALK.matcher(said).matches()) {
            return Recognised.SMALL_TALK;
        }
        int words = said.split(" ").length;
        // "hi, can you draft a contract?" is a request with a greeting in front, not a greeting.
        if (GREETING.matcher(said).matches() && words <= 4) {
            return Recognised.GREETING;
        }
        if (THANKS.matcher(said).matches() && words <= 5) {
            return Recognised.THANKS;
        }
        if (FAREWELL.matcher(said).matches() && words <= 4) {
            return Recognised.FAREWELL;
        }
        return Recognised.OTHER;
    }

    private static String reply(Recognised recognised) {
        return switch (recognised) {
            case GREETING -> "Hello! I'm Steward, your assistant. I'm running offline right now, so I can tell you "
                    + "what I can do and how I'm set up; connect a language model and I can answer anything. "
                    + "Ask me \"what can you do?\" to see more.";
            case SMALL_TALK -> "All good here, thanks for asking. I'm running offline at the moment; ask me "
                    + "\"status\" for details or \"what can you do?\" for ideas.";
            case CAPABILITIES -> """
                    I'm Steward: I answer questions, remember what matters about you and your business, and do \
                    real work with tools — files, shell, web, SQL — with your approval for anything risky.
                    Right now I'm offline (no language model connected), so I can:
                      • tell you my status — ask "status"
                      • list and read your workspace files — "list the files in my workspace", "read notes.md"
                      • remember things — "remember that my company is Acme Corp", "what do you know about my \
                    company?", "forget my company", "show me my data"
                      • explain how to connect a model — ask anything that needs one
                    Useful commands: `steward chat`, `steward tasks list`, `steward stats`, `steward doctor`.
                    """ + CONNECT_A_MODEL;
            case THANKS -> "You're welcome!";
            case FAREWELL -> "Goodbye! Everything we did is saved; `steward tasks list` shows it.";
            case STATUS, OTHER, REMEMBER, RECALL, FORGET, SHOW_MEMORY, CLEAR_MEMORY, CLEAR_CONFIRMED, STATEMENT -> "I can't answer that offline: it needs a language model, and none is connected.\n"
                    + CONNECT_A_MODEL;
        };
    }

    private static String describeStatus(String toolResult) {
        JsonNode status;
        try {
            status = Json.parse(toolResult);
        } catch (IllegalArgumentException e) {
            return "I could not read my status: " + toolResult;
        }
        if (status.hasNonNull("error")) {
            return "I could not read my status: " + status.path("error").asText();
        }
        StringBuilder text = new StringBuilder("Steward ").append(status.path("version").asText("")).append(" — ");
        text.append(status.path("mode").asText("offline")).append(" mode");
        JsonNode providers = status.path("providers");
        if (providers.isArray() && !providers.isEmpty()) {
            text.append("; providers configured: ");
            for (int i = 0; i < providers.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(providers.get(i).asText());
            }
        } else {
            text.append("; no model provider configured");
        }
        JsonNode tasks = status.path("tasks");
        text.append(".\nTasks: ").append(tasks.path("total").asLong()).append(" in all, ")
                .append(tasks.path("done").asLong()).append(" done, ")
                .append(tasks.path("failed").asLong()).append(" failed.");
        text.append("\nHome: ").append(status.path("home").asText());
        text.append("\nDatabase: ").append(status.path("database").asText());
        return text.toString();
    }

    private static ChatResponse answer(ChatRequest request, String text) {
        return new ChatResponse(text, List.of(), usage(request, text), NAME, ChatResponse.FinishReason.STOP);
    }

    private static Usage usage(ChatRequest request, String output) {
        long input = 0;
        for (ChatMessage message : request.messages()) {
            input += Usage.estimateTokens(message.content());
        }
        return new Usage(input, Usage.estimateTokens(output));
    }
}
