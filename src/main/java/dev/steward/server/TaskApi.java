package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.agent.Agent;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskListener;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.Role;
import dev.steward.identity.Accounts.Principal;
import dev.steward.router.ChatMessage;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Chat, conversations and tasks: every read is scoped to the caller, so another user's id answers 404. */
final class TaskApi {
    /** How many earlier exchanges of a conversation go with a new message. */
    static final int HISTORY_TASKS = 20;

    private final TaskRunner runner;
    private final TaskStore tasks;

    TaskApi(Services services) {
        this.runner = services.runner();
        this.tasks = services.tasks();
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, "/api/chat", "Send a message; waits for the answer, or with"
                + " \"async\": true returns the queued task at once (202)", this::chat);
        routes.add(config, HandlerType.GET, "/api/conversations", "Your conversations, most recent first",
                this::conversations);
        routes.add(config, HandlerType.GET, "/api/conversations/{id}", "One conversation's tasks, oldest first",
                this::conversation);
        routes.add(config, HandlerType.GET, "/api/tasks", "Your tasks, newest first (?status=&limit=)", this::list);
        routes.add(config, HandlerType.GET, "/api/tasks/{id}", "One task with its events", this::show);
        routes.add(config, HandlerType.POST, "/api/tasks/{id}/cancel", "Stop a running task", this::cancel);
        routes.add(config, HandlerType.POST, "/api/tasks/{id}/answer", "Answer a task's question", this::answer);
    }

    private void chat(Context ctx) {
        Principal me = Access.principal(ctx);
        JsonNode body = Bodies.object(ctx);
        String message = Bodies.text(body, "message", true);
        String conversation = Bodies.text(body, "conversation_id", false);
        String agent = Bodies.text(body, "agent", false);
        boolean async = Bodies.flag(body, "async");
        List<ChatMessage> history = new ArrayList<>();
        if (conversation == null) {
            conversation = Ids.next();
        } else if (tasks.conversationOfAnother(me.userId(), conversation)) {
            throw ApiError.notFound("conversation", conversation);
        } else {
            List<Task> earlier = tasks.conversation(me.userId(), conversation);
            for (Task t : earlier.subList(Math.max(0, earlier.size() - HISTORY_TASKS), earlier.size())) {
                if (t.answer() != null) {
                    history.add(ChatMessage.user(t.input()));
                    history.add(ChatMessage.assistant(t.answer()));
                }
            }
        }
        AskRequest request = new AskRequest(me.userId(), message, conversation, history, agent, toolsAllowed(me),
                "api");
        ObjectNode answer = Json.object();
        try {
            answer.set("task", Json.mapper().valueToTree(async ? runner.submit(request)
                    : runner.run(request, TaskListener.NONE)));
        } catch (Agent.UnknownAgent unknown) {
            throw ApiError.badRequest(unknown.getMessage(), "leave \"agent\" out to let the Manager choose");
        }
        answer.put("conversation_id", conversation);
        HttpServer.json(ctx, async ? 202 : 200, answer);
    }

    /** Role limited chats only: its tasks are offered no tools. */
    static boolean toolsAllowed(Principal principal) {
        return principal.role() != Role.LIMITED;
    }

    private void conversations(Context ctx) {
        Principal me = Access.principal(ctx);
        int limit = Bodies.number(ctx, "limit", 50, 1, 500);
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("conversations");
        for (TaskStore.ConversationSummary c : tasks.conversations(me.userId(), limit)) {
            list.addObject().put("id", c.id()).put("title", title(c.title())).put("updated_at", c.updatedAt())
                    .put("tasks", c.tasks());
        }
        HttpServer.json(ctx, 200, answer);
    }

    private static String title(String firstMessage) {
        String line = firstMessage == null ? "" : firstMessage.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 79) + "…";
    }

    private void conversation(Context ctx) {
        Principal me = Access.principal(ctx);
        String id = ctx.pathParam("id");
        List<Task> list = tasks.conversation(me.userId(), id);
        if (list.isEmpty()) {
            throw ApiError.notFound("conversation", id);
        }
        ObjectNode answer = Json.object().put("id", id);
        answer.set("tasks", Json.mapper().valueToTree(list));
        HttpServer.json(ctx, 200, answer);
    }

    private void list(Context ctx) {
        Principal me = Access.principal(ctx);
        String status = ctx.queryParam("status");
        TaskStatus wanted;
        try {
            wanted = status == null || status.isBlank() ? null : TaskStatus.fromId(status.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("no task status '" + status + "'", "use one of queued, planning, running,"
                    + " waiting_approval, waiting_input, reviewing, done, failed, cancelled");
        }
        ObjectNode answer = Json.object();
        answer.set("tasks", Json.mapper().valueToTree(tasks.list(me.userId(), Bodies.number(ctx, "limit", 50, 1, 500),
                wanted)));
        HttpServer.json(ctx, 200, answer);
    }

    private void show(Context ctx) {
        Task task = owned(ctx);
        ObjectNode answer = Json.object();
        answer.set("task", Json.mapper().valueToTree(task));
        answer.set("events", Json.mapper().valueToTree(tasks.events(task.id())));
        HttpServer.json(ctx, 200, answer);
    }

    private void cancel(Context ctx) {
        Principal me = Access.principal(ctx);
        Task task = owned(ctx);
        if (task.status().finished()) {
            throw ApiError.conflict("task " + task.id() + " has already ended (" + task.status().id() + ")",
                    "only a task that is still running can be cancelled");
        }
        if (!runner.cancel(me.userId(), task.id())) {
            throw ApiError.conflict("task " + task.id() + " is not running in this server",
                    "it may have been started by another process; cancel it there");
        }
        HttpServer.json(ctx, 200, taskAnswer(owned(ctx)));
    }

    private void answer(Context ctx) {
        Task task = owned(ctx);
        String text = Bodies.text(Bodies.object(ctx), "answer", true);
        if (task.status() != TaskStatus.WAITING_INPUT) {
            throw ApiError.conflict("task " + task.id() + " is not waiting for an answer (it is "
                    + task.status().id() + ")", "answer a task whose status is waiting_input");
        }
        try {
            HttpServer.json(ctx, 200, taskAnswer(runner.answer(Access.principal(ctx).userId(), task.id(), text)));
        } catch (IllegalStateException answeredMeanwhile) {
            throw ApiError.conflict(answeredMeanwhile.getMessage(), "answer a task whose status is waiting_input");
        }
    }

    /** The caller's task named by the path; 404 for an unknown id and for someone else's alike. */
    private Task owned(Context ctx) {
        String id = ctx.pathParam("id");
        return runner.find(Access.principal(ctx).userId(), id).orElseThrow(() -> ApiError.notFound("task", id));
    }

    private static ObjectNode taskAnswer(Task task) {
        ObjectNode answer = Json.object();
        answer.set("task", Json.mapper().valueToTree(task));
        return answer;
    }
}
