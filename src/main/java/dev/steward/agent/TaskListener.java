package dev.steward.agent;

/** Follows a run as it happens: each persisted event, and the answer's text as it streams. */
public interface TaskListener {
    TaskListener NONE = new TaskListener() {};

    default void onEvent(TaskEvent event) {}

    default void onText(String chunk) {}
}
