package dev.steward.agent;

/**
 * Watches every task of a process as it runs, whoever started it: what the server streams to browsers and API
 * clients. Each call names the task's owner, so that a watcher can show a user only their own work.
 */
public interface TaskObserver {
    void onEvent(String userId, TaskEvent event);

    default void onText(String userId, String taskId, String chunk) {}
}
