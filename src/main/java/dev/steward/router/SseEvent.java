package dev.steward.router;

/** One server-sent event: the {@code event:} name (null if none) and the joined {@code data:} lines. */
record SseEvent(String event, String data) {}
