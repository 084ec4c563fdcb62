package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/** Tasks and their events, in the database. */
public final class TaskStore {
    private final Database database;

    public TaskStore(Database database) {
        this.database = database;
    }

    /** Runs a write in a transaction (the database queues this process's SQLite writers fairly). */
    private <T> T write(HandleCallback<T, RuntimeException> work) {
        return database.jdbi().inTransaction(work);
    }

    public void insert(Task task) {
        insert(task, null, null, 0);
    }

    /**
     * Records a new task, with the checkpoint its run starts from, that runner {@code runnerId} holds until
     * {@code leaseUntil}, so that no other takes it.
     */
    void insert(Task task, String checkpoint, String runnerId, long leaseUntil) {
        write(h -> h.createUpdate("""
                        INSERT INTO tasks (id, user_id, conversation_id, status, intent, input, answer, error, model,
                            tokens_in, tokens_out, cost_micros, created_at, started_at, finished_at, agent, plan,
                            current_step, iteration, question, approval_id, checkpoint, runner_id, lease_until, source)
                        VALUES (:id, :userId, :conversationId, :status, :intent, :input, :answer, :error, :model,
                            :tokensIn, :tokensOut, :costMicros, :createdAt, :startedAt, :finishedAt, :agent, :plan,
                            :currentStep, :iteration, :question, :approvalId, :checkpoint, :runnerId, :leaseUntil, :source)
                        """)
                .bindMethods(task)
                .bind("status", task.status().id())
                .bind("intent", task.intent() == null ? null : task.intent().id())
                .bind("plan", task.plan() == null ? null : Json.write(task.plan()))
                .bind("checkpoint", checkpoint)
                .bind("runnerId", runnerId)
                .bind("leaseUntil", leaseUntil)
                .execute());
    }

    public void update(Task task) {
        write(h -> bindTask(h.createUpdate("UPDATE tasks SET " + TASK_COLUMNS + " WHERE id = :id"),
                task).execute());
    }

    private static final String TASK_COLUMNS = """
            status = :status, intent = :intent, answer = :answer, error = :error, model = :model,
            tokens_in = :tokensIn, tokens_out = :tokensOut, cost_micros = :costMicros, started_at = :startedAt,
            finished_at = :finishedAt, agent = :agent, plan = :plan, current_step = :currentStep,
            iteration = :iteration, question = :question, approval_id = :approvalId""";

    /**
     * Saves a run's progress: the task row, the checkpoint a restart resumes from, and the lease of the runner that
     * holds it (0 releases it: a waiting or finished task is nobody's until something wakes it).
     *
     * @param epoch the lease epoch the run's claim got: the write happens only while the task still has it
     * @throws LeaseLost if another runner has claimed the task since (nothing is written)
     */
    void save(Task task, String checkpoint, long leaseUntil, long epoch) {
        write(h -> saveRow(h, task, checkpoint, leaseUntil, epoch));
    }

    /**
     * The fence: the row is written only while its lease epoch is the writer's, checked in the same statement, so a
     * node that was frozen past its lease cannot overwrite the work of the node that took the task over.
     */
    private static int saveRow(Handle h, Task task, String checkpoint, long leaseUntil, long epoch) {
        int written = bindTask(h.createUpdate("UPDATE tasks SET " + TASK_COLUMNS
                        + ", checkpoint = :checkpoint, lease_until = :leaseUntil WHERE id = :id AND lease_epoch = :epoch"),
                task).bind("checkpoint", checkpoint).bind("leaseUntil", leaseUntil).bind("epoch", epoch).execute();
        if (written == 0) {
            throw new LeaseLost(task.id(), epoch);
        }
        return written;
    }

    /**
     * A run tried to write a task that another runner claimed after it (its lease lapsed while this process was
     * frozen, cut off or starved): the write was refused, and the run must stop without writing anything more.
     */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String taskId, long epoch) {
            super("task " + taskId + " was taken over by another runner (its lease epoch is no longer " + epoch + ")",
                    null, false, false);
        }
    }

    /** A task as its run left it: the row and the checkpoint to carry on from (null if it has none). */
    record Saved(Task task, String checkpoint, long epoch) {}

    Optional<Saved> saved(String taskId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE id = :id")
                .bind("id", taskId).map((rs, ctx) -> new Saved(task(rs), rs.getString("checkpoint"),
                        rs.getLong("lease_epoch"))).findOne());
    }

    /**
     * Takes a task for runner {@code runnerId} if it is still in {@code status} and nobody holds it (its lease has
     * lapsed). Atomic: of two processes that try at once, one wins. Every claim adds one to the task's lease epoch.
     *
     * @return the task's new lease epoch, the fencing token every write of the run must carry; empty when the task
     *     was not taken
     */
    OptionalLong claim(String taskId, TaskStatus status, String runnerId, long now, long leaseUntil) {
        return write(h -> {
            int taken = h.createUpdate("""
                            UPDATE tasks SET runner_id = :runner, lease_until = :lease, lease_epoch = lease_epoch + 1
                            WHERE id = :id AND status = :status AND lease_until <= :now""")
                    .bind("runner", runnerId).bind("lease", leaseUntil).bind("id", taskId)
                    .bind("status", status.id()).bind("now", now)
                    .execute();
            // Read in the same transaction, under the row lock the update took: the epoch this claim gave.
            return taken == 1 ? OptionalLong.of(h.createQuery("SELECT lease_epoch FROM tasks WHERE id = :id")
                    .bind("id", taskId).mapTo(Long.class).one()) : OptionalLong.empty();
        });
    }

    /** Extends the leases of the tasks this runner is working on. */
    void renew(String runnerId, java.util.Collection<String> taskIds, long leaseUntil) {
        if (taskIds.isEmpty()) {
            return;
        }
        write(h -> h.createUpdate("""
                        UPDATE tasks SET lease_until = :lease WHERE runner_id = :runner AND id IN (<ids>)
                        AND lease_until > 0""")
                .bind("lease", leaseUntil).bind("runner", runnerId).bindList("ids", List.copyOf(taskIds))
                .execute());
    }

    /**
     * Lets go of a task without finishing it, so that the next runner may take it at once; only while this runner
     * still holds it (another node may already have taken it over).
     */
    void releaseIfHeld(String taskId, String runnerId) {
        write(h -> h.execute("UPDATE tasks SET lease_until = 0 WHERE id = ? AND runner_id = ? AND lease_until > 0",
                taskId, runnerId));
    }

    void requestCancel(String taskId) {
        write(h -> h.execute("UPDATE tasks SET cancel_requested = 1 WHERE id = ?", taskId));
    }

    /** Which of these tasks someone asked to cancel. */
    List<String> cancelRequested(java.util.Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM tasks WHERE cancel_requested = 1 AND id IN (<ids>)")
                .bindList("ids", List.copyOf(taskIds)).mapTo(String.class).list());
    }

    /** Tasks that were being worked on and that nobody holds now: their runner stopped. */
    List<Task> orphaned(long now) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM tasks WHERE status IN ('queued', 'planning', 'running', 'reviewing')
                        AND lease_until <= :now ORDER BY created_at""")
                .bind("now", now).map((rs, ctx) -> task(rs)).list());
    }

    /** Tasks waiting for an approval that someone has decided (approved and carried out, rejected or expired). */
    List<Task> approvalDecided(long now) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT t.* FROM tasks t JOIN approvals a ON a.id = t.approval_id
                        WHERE t.status = 'waiting_approval' AND t.lease_until <= :now
                        AND (a.status IN ('done', 'failed', 'rejected', 'expired')
                             OR (a.status = 'pending' AND a.expires_at <= :now))
                        ORDER BY t.created_at""")
                .bind("now", now).map((rs, ctx) -> task(rs)).list());
    }

    /** Appends an event with the next sequence number of its task, in one write transaction. */
    public TaskEvent append(String taskId, TaskEvent.Kind type, TaskEvent.AgentRole role, String message, JsonNode data) {
        return write(h -> append(h, taskId, type, role, message, data));
    }

    /**
     * Saves a run's progress and appends the event that tells it, in one transaction: a step costs one write to
     * the database, and the event is never seen before the state it reports.
     */
    List<TaskEvent> saveAndAppend(Task task, String checkpoint, long leaseUntil, long epoch, List<NewEvent> events) {
        return write(h -> {
            saveRow(h, task, checkpoint, leaseUntil, epoch); // refused: nothing appended either
            List<TaskEvent> appended = new java.util.ArrayList<>(events.size());
            int seq = events.isEmpty() ? 0 : nextSeq(h, task.id());
            for (NewEvent e : events) {
                appended.add(insertEvent(h, task.id(), seq++, e.type(), e.role(), e.message(), e.data()));
            }
            return appended;
        });
    }

    /** An event about to be appended: its sequence number and time are given when it is written. */
    record NewEvent(TaskEvent.Kind type, TaskEvent.AgentRole role, String message, JsonNode data) {}

    private static org.jdbi.v3.core.statement.Update bindTask(org.jdbi.v3.core.statement.Update update, Task task) {
        return update.bindMethods(task)
                .bind("status", task.status().id())
                .bind("intent", task.intent() == null ? null : task.intent().id())
                .bind("plan", task.plan() == null ? null : Json.write(task.plan()));
    }

    private TaskEvent append(Handle h, String taskId, TaskEvent.Kind type, TaskEvent.AgentRole role, String message,
                             JsonNode data) {
        return insertEvent(h, taskId, nextSeq(h, taskId), type, role, message, data);
    }

    /** The sequence number of the task's next event; the transaction holds it until it ends. */
    private int nextSeq(Handle h, String taskId) {
        if (database.dialect() == Database.Dialect.POSTGRESQL) {
            // Two appends to one task must not both read the same MAX(seq). SQLite runs one write transaction at
            // a time (BEGIN IMMEDIATE); PostgreSQL's run side by side, so lock the task's row first.
            h.createQuery("SELECT id FROM tasks WHERE id = :task FOR UPDATE")
                    .bind("task", taskId).mapTo(String.class).findOne();
        }
        return h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM task_events WHERE task_id = :task")
                .bind("task", taskId).mapTo(Integer.class).one();
    }

    private static TaskEvent insertEvent(Handle h, String taskId, int seq, TaskEvent.Kind type,
                                         TaskEvent.AgentRole role, String message, JsonNode data) {
        TaskEvent event = new TaskEvent(taskId, seq, type, role, message, data, System.currentTimeMillis());
        h.createUpdate("""
                        INSERT INTO task_events (task_id, seq, type, role, message, data, created_at)
                        VALUES (:taskId, :seq, :type, :role, :message, :data, :createdAt)
                        """)
                .bindMethods(event)
                .bind("type", type.id())
                .bind("role", role == null ? null : role.id())
                .bind("data", data == null ? null : Json.write(data))
                .execute();
        return event;
    }

    /** A task by its id or by a prefix of it that only one task has. */
    public Optional<Task> find(String idOrPrefix) {
        return database.jdbi().withHandle(h -> {
            // A whole id first, by the key: LIKE cannot use the index (it ignores case), so it reads every task.
            Optional<Task> exact = h.createQuery("SELECT * FROM tasks WHERE id = :id").bind("id", idOrPrefix)
                    .map((rs, ctx) -> task(rs)).findOne();
            if (exact.isPresent()) {
                return exact;
            }
            List<Task> found = h.createQuery("SELECT * FROM tasks WHERE id LIKE :prefix ORDER BY created_at LIMIT 2")
                    .bind("prefix", idOrPrefix.replace("%", "").replace("_", "") + "%")
                    .map((rs, ctx) -> task(rs)).list();
            return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
        });
    }

    /** The newest tasks first. */
    public List<Task> list(int limit, TaskStatus status) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM tasks"
                        + (status == null ? "" : " WHERE status = :status")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("status", status == null ? null : status.id())
                .bind("limit", limit)
                .map((rs, ctx) -> task(rs)).list());
    }

    /** {@code userId}'s newest tasks first. */
    public List<Task> list(String userId, int limit, TaskStatus status) {
        return database.jdbi().withHandle(h -> {
            var query = h.createQuery("SELECT * FROM tasks WHERE user_id = :user"
                    + (status == null ? "" : " AND status = :status") + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("user", userId).bind("limit", limit);
            if (status != null) {
                query.bind("status", status.id());
            }
            return query.map((rs, ctx) -> task(rs)).list();
        });
    }

    /** The tasks of one of {@code userId}'s conversations, oldest first; empty when it is not theirs. */
    public List<Task> conversation(String userId, String conversationId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM tasks WHERE user_id = :user"
                        + " AND conversation_id = :conversation ORDER BY created_at, id")
                .bind("user", userId).bind("conversation", conversationId)
                .map((rs, ctx) -> task(rs)).list());
    }

    /** Whether a task of someone other than {@code userId} belongs to this conversation. */
    public boolean conversationOfAnother(String userId, String conversationId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks"
                        + " WHERE conversation_id = :conversation AND user_id <> :user")
                .bind("user", userId).bind("conversation", conversationId).mapTo(Long.class).one()) > 0;
    }

    /** One of {@code userId}'s conversations: its id, the first message, when it last changed, how many tasks. */
    public record ConversationSummary(String id, String title, long updatedAt, long tasks) {}

    /** {@code userId}'s conversations, the most recently active first. */
    public List<ConversationSummary> conversations(String userId, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.conversation_id, c.updated_at, c.n,
                            (SELECT f.input FROM tasks f WHERE f.user_id = :user AND f.conversation_id = c.conversation_id
                             ORDER BY f.created_at, f.id LIMIT 1) AS title
                        FROM (SELECT conversation_id, MAX(created_at) AS updated_at, COUNT(*) AS n FROM tasks
                              WHERE user_id = :user AND conversation_id IS NOT NULL GROUP BY conversation_id) c
                        ORDER BY c.updated_at DESC, c.conversation_id LIMIT :limit""")
                .bind("user", userId).bind("limit", limit)
                .map((rs, ctx) -> new ConversationSummary(rs.getString("conversation_id"), rs.getString("title"),
                        rs.getLong("updated_at"), rs.getLong("n"))).list());
    }

    /** The events of {@code userId}'s tasks written at or after {@code sinceMillis}, in order of time. */
    public List<TaskEvent> eventsOfUserSince(String userId, long sinceMillis) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.* FROM task_events e JOIN tasks t ON t.id = e.task_id
                        WHERE t.user_id = :user AND e.created_at >= :since ORDER BY e.created_at, e.task_id, e.seq""")
                .bind("user", userId).bind("since", sinceMillis)
                .map((rs, ctx) -> event(rs)).list());
    }

    /** An event with the user whose task it is. */
    public record UserEvent(String userId, TaskEvent event) {}

    /**
     * Events written at or after {@code sinceMillis} for tasks that runner {@code exceptRunner} does not hold: what
     * other nodes' runs told, for this node's live streams. In order of time.
     */
    public List<UserEvent> eventsOfOtherRunners(long sinceMillis, String exceptRunner) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.*, t.user_id AS owner FROM task_events e JOIN tasks t ON t.id = e.task_id
                        WHERE e.created_at >= :since AND (t.runner_id IS NULL OR t.runner_id <> :runner)
                        ORDER BY e.created_at, e.task_id, e.seq""")
                .bind("since", sinceMillis).bind("runner", exceptRunner)
                .map((rs, ctx) -> new UserEvent(rs.getString("owner"), event(rs))).list());
    }

    public List<TaskEvent> events(String taskId) {
        return database.jdbi().withHandle(h -> events(h, taskId));
    }

    private static List<TaskEvent> events(Handle h, String taskId) {
        return h.createQuery("SELECT * FROM task_events WHERE task_id = :task ORDER BY seq")
                .bind("task", taskId)
                .map((rs, ctx) -> event(rs))
                .list();
    }

    private static TaskEvent event(ResultSet rs) throws SQLException {
        String role = rs.getString("role");
        return new TaskEvent(rs.getString("task_id"), rs.getInt("seq"), TaskEvent.Kind.fromId(rs.getString("type")),
                role == null ? null : TaskEvent.AgentRole.fromId(role),
                rs.getString("message"), rs.getString("data") == null ? null : Json.parse(rs.getString("data")),
                rs.getLong("created_at"));
    }

    static Task task(ResultSet rs) throws SQLException {
        String intent = rs.getString("intent");
        String plan = rs.getString("plan");
        Long step = nullableLong(rs, "current_step");
        Long iteration = nullableLong(rs, "iteration");
        return new Task(rs.getString("id"), rs.getString("user_id"), rs.getString("conversation_id"),
                TaskStatus.fromId(rs.getString("status")), intent == null ? null : Intent.fromId(intent),
                rs.getString("input"), rs.getString("answer"), rs.getString("error"), rs.getString("model"),
                rs.getLong("tokens_in"), rs.getLong("tokens_out"), rs.getLong("cost_micros"),
                rs.getLong("created_at"), nullableLong(rs, "started_at"), nullableLong(rs, "finished_at"),
                rs.getString("agent"), plan == null ? null : Json.parse(plan),
                step == null ? null : step.intValue(), iteration == null ? null : iteration.intValue(),
                rs.getString("question"), rs.getString("approval_id"), rs.getString("source"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** How many tasks created at or after {@code sinceMillis} have each value of {@code column}. */
    Map<String, Long> countBy(String column, long sinceMillis) {
        if (!column.equals("status") && !column.equals("intent")) {
            throw new IllegalArgumentException(column);
        }
        return database.jdbi().withHandle(h -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            // Since the beginning, no time filter: the count then reads only the column's index, not every row.
            var query = h.createQuery("SELECT COALESCE(" + column + ", 'unknown') AS value, COUNT(*) AS n FROM tasks"
                    + (sinceMillis > 0 ? " WHERE created_at >= :since" : "")
                    + " GROUP BY " + column + " ORDER BY COUNT(*) DESC");
            if (sinceMillis > 0) {
                query.bind("since", sinceMillis);
            }
            query.map((rs, ctx) -> Map.entry(rs.getString("value"), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }
}
