package dev.steward.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.agent.TaskEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web UI listens for the task events the server sends, by the same names, and shows each of them. */
class EventNamesTest {
    private static final List<String> KINDS = Arrays.stream(TaskEvent.Kind.values()).map(TaskEvent.Kind::id).toList();

    @Test
    void theUiSubscribesToEveryKindAndToStreamedText() throws IOException {
        String api = resource("web/api.js");
        Matcher list = Pattern.compile("TASK_EVENT_TYPES = \\[([^\\]]*)]").matcher(api);
        assertThat(list.find()).as("TASK_EVENT_TYPES in api.js").isTrue();

        List<String> subscribed = quoted(list.group(1));
        List<String> expected = new ArrayList<>(KINDS);
        expected.add("text");
        assertThat(subscribed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theTaskViewHasACaseForEveryKind() throws IOException {
        List<String> cases = quoted(String.join(" ", Pattern.compile("case ('[a-z_]+')").matcher(resource("web/task-view.js"))
                .results().map(r -> r.group(1)).toList()));

        assertThat(cases).containsAll(KINDS);
    }

    private static List<String> quoted(String text) {
        return Pattern.compile("'([a-z_]+)'").matcher(text).results().map(r -> r.group(1)).toList();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EventNamesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
