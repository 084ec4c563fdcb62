package dev.steward.server;

import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskObserver;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.identity.Accounts.Principal;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Live task events as server-sent events: per task ({@code /api/tasks/{id}/events}, which ends after the terminal
 * event) and per user ({@code /api/events}, which stays open). A stream subscribes to the runner before it reads the
 * stored events, so nothing falls between the replay and the live part; events it has sent already are skipped.
 * Resuming with {@code Last-Event-ID} replays only what came after. Quiet streams send a comment every heartbeat.
 */
final class EventStreams implements AutoCloseable {

    /** What a stream's queue holds: an event, a piece of streamed text, or the server's request to end. */
    private sealed interface Item permits Event, Text, End {}

    private record Event(TaskEvent event) implements Item {}

    private record Text(String taskId, String chunk) implements Item {}

    private record End() implements Item {}

    private final TaskRunner runner;
    private final TaskStore tasks;
    private final Duration heartbeat;
    private final Set<BlockingQueue<Item>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    EventStreams(TaskRunner runner, TaskStore tasks, Duration heartbeat) {
        this.runner = runner;
        this.tasks = tasks;
        this.heartbeat = heartbeat;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/tasks/{id}/events", "Server-sent events of one task: the stored"
                + " ones after Last-Event-ID, then live ones; ends after the terminal event", this::taskEvents);
        routes.add(config, HandlerType.GET, "/api/events", "Server-sent events of all your tasks (id: task_id:seq)",
                this::userEvents);
    }

    private void taskEvents(Context ctx) throws InterruptedException {
        Principal me = Access.principal(ctx);
        String taskId = ctx.pathParam("id");
        runner.find(me.userId(), taskId).orElseThrow(() -> ApiError.notFound("task", taskId));
        TaskCursor cursor = new TaskCursor(sequence(ctx, lastEventId(ctx)));
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        try (Subscription subscription = subscribe(queue, me.userId(), taskId)) {
            Writer out = new Writer(ctx);
            tasks.events(taskId).forEach(e -> cursor.send(out, e));
            while (!cursor.ended) {
                Item item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                switch (item) {
                    case null -> {
                        // Quiet. A task that has finished without a stored terminal event (an older record) ends here.
                        tasks.events(taskId).forEach(e -> cursor.send(out, e));
                        if (!cursor.ended && runner.find(me.userId(), taskId).filter(t -> t.status().finished())
                                .isPresent()) {
                            return;
                        }
                        out.comment("heartbeat");
                    }
                    case End end -> cursor.ended = true;
                    case Text text -> out.text(text, false);
                    case Event(TaskEvent e) -> cursor.send(out, e);
                }
            }
        } catch (ClientGone gone) {
            // Nothing to do: the client left, and the subscription is closed.
        }
    }

    /** Where a task's stream is: the last event sent, and whether it was the terminal one. */
    private static final class TaskCursor {
        int last;
        boolean ended;

        TaskCursor(int after) {
            this.last = after;
        }

        /** Sends an event this stream has not sent yet; stored and live copies of one event go out once. */
        void send(Writer out, TaskEvent e) {
            if (!ended && e.seq() > last) {
                out.event(Integer.toString(e.seq()), e);
                last = e.seq();
                ended = e.type().ends();
            }
        }
    }

    private void userEvents(Context ctx) throws InterruptedException {
        Principal me = Access.principal(ctx);
        String lastId = lastEventId(ctx);
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        Map<String, Integer> sent = new HashMap<>();
        try (Subscription subscription = subscribe(queue, me.userId(), null)) {
            Writer out = new Writer(ctx);
            if (lastId != null) {
                int colon = lastId.lastIndexOf(':');
                if (colon <= 0) {
                    throw ApiError.badRequest("Last-Event-ID '" + lastId + "' is not TASK_ID:SEQ",
                            "send the id of the last event you received");
                }
                String taskId = lastId.substring(0, colon);
                int seq = sequence(ctx, lastId.substring(colon + 1));
                TaskEvent resumeFrom = runner.find(me.userId(), taskId).flatMap(t -> tasks.events(taskId).stream()
                        .filter(e -> e.seq() == seq).findFirst()).orElseThrow(() -> ApiError.notFound("event", lastId));
                sent.put(taskId, seq);
                for (TaskEvent e : tasks.eventsOfUserSince(me.userId(), resumeFrom.createdAt())) {
                    sendOnce(out, sent, e);
                }
            }
            while (true) {
                Item item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                switch (item) {
                    case null -> out.comment("heartbeat");
                    case End end -> {
                        return;
                    }
                    case Text text -> out.text(text, true);
                    case Event(TaskEvent e) -> sendOnce(out, sent, e);
                }
            }
        } catch (ClientGone gone) {
            // The client left.
        }
    }

    /** Sends an event unless this stream sent it (or a later one of its task) already. */
    private static void sendOnce(Writer out, Map<String, Integer> sent, TaskEvent e) {
        if (e.seq() > sent.getOrDefault(e.taskId(), 0)) {
            out.event(e.taskId() + ":" + e.seq(), e);
            sent.put(e.taskId(), e.seq());
        }
    }

    /** Subscribes a queue to the runner's events of {@code userId} (and of one task, if {@code taskId} is set). */
    /** A subscription whose close cannot fail. */
    private interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private Subscription subscribe(BlockingQueue<Item> queue, String userId, String taskId) {
        if (closing) {
            throw ApiError.of(503, "unavailable", "the server is stopping", "connect again in a moment");
        }
        AutoCloseable subscription = runner.subscribe(new TaskObserver() {
            @Override
            public void onEvent(String owner, TaskEvent event) {
                if (owner.equals(userId) && (taskId == null || event.taskId().equals(taskId))) {
                    queue.add(new Event(event));
                }
            }

            @Override
            public void onText(String owner, String id, String chunk) {
                if (owner.equals(userId) && (taskId == null || id.equals(taskId))) {
                    queue.add(new Text(id, chunk));
                }
            }
        });
        open.add(queue);
        return () -> {
            open.remove(queue);
            try {
                subscription.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot unsubscribe: " + e.getMessage(), e);
            }
        };
    }

    private static String lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        return header != null && !header.isBlank() ? header.strip() : ctx.queryParam("last_event_id");
    }

    private static int sequence(Context ctx, String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Last-Event-ID '" + raw + "' is not an event number",
                    "send the id of the last event you received, or none for all of them");
        }
    }

    /** Ends every open stream, so that a graceful stop does not wait for them. */
    @Override
    public void close() {
        closing = true;
        open.forEach(q -> q.add(new End()));
    }

    /** The client went away: the stream ends quietly. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) {
            super("the client closed the connection", cause, false, false);
        }
    }

    /** Writes and flushes server-sent events; the response is committed by the first write. */
    private static final class Writer {
        private final OutputStream out;

        Writer(Context ctx) {
            try {
                out = HttpServer.eventStream(ctx);
            } catch (IOException e) {
                throw new ClientGone(e);
            }
            comment("stream open"); // sends the headers now, so the client knows it is connected
        }

        void event(String id, TaskEvent event) {
            write("id: " + id + "\nevent: " + event.type().id() + "\ndata: " + Json.write(event) + "\n\n");
        }

        void text(Text text, boolean withTask) {
            var data = Json.object();
            if (withTask) {
                data.put("task_id", text.taskId());
            }
            write("event: text\ndata: " + Json.write(data.put("text", text.chunk())) + "\n\n");
        }

        void comment(String text) {
            write(": " + text + "\n\n");
        }

        private void write(String frame) {
            try {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }
    }
}
