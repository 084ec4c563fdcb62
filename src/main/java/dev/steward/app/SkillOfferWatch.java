package dev.steward.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskObserver;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.skills.RecordedCall;
import dev.steward.skills.SkillOffers;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Tells the skill offers ("Automate this?") of every task a person started (CLI, API, web) that finished well, with
 * the tool calls its events recorded: each call paired with its result, and marked when untrusted content had entered
 * the task before it. Tasks from schedules, crews and webhooks are not a person's routine, and their input may hold
 * another system's words.
 */
final class SkillOfferWatch implements TaskObserver {
    private static final Set<String> PEOPLE = Set.of(AskRequest.CLI, "api");
    private final TaskStore tasks;
    private final Supplier<SkillOffers> offers;
    private final BiConsumer<String, SkillOffers.Offer> announce;

    /** @param announce tells the user of a new offer (their inbox), beside the approval that decides it */
    SkillOfferWatch(TaskStore tasks, Supplier<SkillOffers> offers, BiConsumer<String, SkillOffers.Offer> announce) {
        this.tasks = tasks;
        this.offers = offers;
        this.announce = announce;
    }

    @Override
    public void onEvent(String userId, TaskEvent event) {
        if (event.type() != TaskEvent.Kind.DONE) {
            return;
        }
        Task task = tasks.find(event.taskId()).orElse(null);
        if (task == null || task.status() != TaskStatus.DONE || !PEOPLE.contains(task.source())) {
            return;
        }
        offers.get().observe(task.userId(), task.id(), task.intent() == null ? null : task.intent().id(),
                        task.input(), calls(tasks.events(task.id())))
                .filter(offer -> offer.approvalId() != null)
                .ifPresent(offer -> announce.accept(task.userId(), offer));
    }

    /** The calls in order, each with how it ended; a call repeated after a restart counts once. */
    static List<RecordedCall> calls(List<TaskEvent> events) {
        List<RecordedCall> calls = new ArrayList<>();
        JsonNode pending = null;
        boolean untrusted = false;
        for (TaskEvent e : events) {
            if (e.type() == TaskEvent.Kind.TOOL_CALL && e.data() != null) {
                pending = e.data();
            } else if (e.type() == TaskEvent.Kind.TOOL_RESULT && e.data() != null && pending != null
                    && pending.path("tool").asText().equals(e.data().path("tool").asText())) {
                JsonNode arguments = pending.path("arguments");
                calls.add(new RecordedCall(pending.path("tool").asText(), arguments.isObject() ? arguments
                        : Json.object(), e.data().path("ok").asBoolean(), untrusted));
                untrusted |= e.data().path("untrusted").asBoolean();
                pending = null;
            }
        }
        return calls;
    }
}
