package dev.steward.learning;

import dev.steward.store.Database;
import java.util.List;

/** Ratings of tasks: one per task and user, the newest replacing the one before. */
final class FeedbackStore {
    private final Database database;

    FeedbackStore(Database database) {
        this.database = database;
    }

    void save(Feedback feedback) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM task_feedback WHERE task_id = :task AND user_id = :user")
                    .bind("task", feedback.taskId()).bind("user", feedback.userId()).execute();
            h.createUpdate("""
                    INSERT INTO task_feedback (task_id, user_id, rating, comment, created_at)
                    VALUES (:task, :user, :rating, :comment, :at)""")
                    .bind("task", feedback.taskId()).bind("user", feedback.userId())
                    .bind("rating", feedback.rating().id()).bind("comment", feedback.comment())
                    .bind("at", feedback.createdAt()).execute();
        });
    }

    /** Ratings given since a time, oldest first, with the input of the task they rate. */
    List<Rated> since(long since) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT f.task_id, f.user_id, f.rating, f.comment, f.created_at, t.input
                        FROM task_feedback f JOIN tasks t ON t.id = f.task_id
                        WHERE f.created_at >= :since ORDER BY f.created_at""")
                .bind("since", since)
                .map((rs, ctx) -> new Rated(new Feedback(rs.getString(1), rs.getString(2),
                        Rating.parse(rs.getString(3)), rs.getString(4), rs.getLong(5)), rs.getString(6)))
                .list());
    }

    /** A rating and the request it rates. */
    record Rated(Feedback feedback, String input) {}
}
