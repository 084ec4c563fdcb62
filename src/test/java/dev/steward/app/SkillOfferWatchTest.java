package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.skills.RecordedCall;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a task's events become the recorded calls "Automate this?" drafts from. */
class SkillOfferWatchTest {
    private final List<TaskEvent> events = new ArrayList<>();

    private void event(Kind kind, String data) {
        events.add(new TaskEvent("t1", events.size() + 1, kind, TaskEvent.AgentRole.EMPLOYEE, "", Json.parse(data), 0));
    }

    @Test
    void eachCallIsPairedWithItsResultAndMarkedWhenUntrustedContentCameBeforeIt() {
        event(Kind.TOOL_CALL, "{\"tool\": \"memory.search\", \"arguments\": {\"query\": \"q\"}}");
        event(Kind.TOOL_RESULT, "{\"tool\": \"memory.search\", \"ok\": true}");
        event(Kind.TOOL_CALL, "{\"tool\": \"http.fetch\", \"arguments\": {\"url\": \"https://example.org\"}}");
        event(Kind.TOOL_RESULT, "{\"tool\": \"http.fetch\", \"ok\": true, \"untrusted\": true}");
        event(Kind.TOOL_CALL, "{\"tool\": \"files.write\", \"arguments\": {\"path\": \"a.txt\", \"content\": \"x\"}}");
        event(Kind.APPROVAL_NEEDED, "{\"tool\": \"files.write\"}");
        event(Kind.TOOL_RESULT, "{\"tool\": \"files.write\", \"ok\": false, \"status\": \"rejected\"}");
        event(Kind.TOOL_CALL, "{\"tool\": \"ask_user\", \"arguments\": {\"question\": \"which?\"}}");
        event(Kind.QUESTION, "{\"question\": \"which?\"}");

        List<RecordedCall> calls = SkillOfferWatch.calls(events);

        assertThat(calls).extracting(RecordedCall::tool).containsExactly("memory.search", "http.fetch", "files.write");
        assertThat(calls).extracting(RecordedCall::ok).containsExactly(true, true, false);
        assertThat(calls).extracting(RecordedCall::afterUntrusted).containsExactly(false, false, true);
        assertThat(calls.get(2).arguments().path("path").asText()).isEqualTo("a.txt");
    }
}
