package dev.steward.agent;

import dev.steward.agent.TaskEvent.AgentRole;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.router.ChatMessage;
import dev.steward.router.RoutedResponse;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Supervisor's part of a planned task: it checks each step's result and passes it, or sends it back with
 * feedback (at most maxIterations rounds). A task the Manager did not plan takes each answer as it is.
 */
final class Supervision {
    private final Agent agent;
    private final RunState state;
    private final RunRecord record;
    /** Asks the Supervisor's model; the run's own call, so that a stop or a failure ends the run as any other. */
    private final Function<List<ChatMessage>, RoutedResponse> supervisor;

    Supervision(Agent agent, RunState state, RunRecord record,
                Function<List<ChatMessage>, RoutedResponse> supervisor) {
        this.agent = agent;
        this.state = state;
        this.record = record;
        this.supervisor = supervisor;
    }

    /** Reviews the current step's answer: the run then goes on with the next step, or with a revision of this one. */
    void review() {
        PlanStep step = state.currentStep();
        if (!state.managed) {
            accept();
            return;
        }
        record.transition(TaskStatus.REVIEWING);
        int of = agent.config.maxIterations();
        RoutedResponse reviewed = supervisor.apply(List.of(
                ChatMessage.system(agent.config.supervisor().prompt()),
                ChatMessage.user("The user's request: " + record.task().input() + "\n\nStep " + step.n() + " of "
                        + state.plan.size() + ": " + step.goal() + "\n\nThe result (iteration " + state.iteration
                        + " of " + of + "):\n" + state.stepAnswer)));
        record.reported(AgentRole.SUPERVISOR, reviewed);
        Verdict verdict = Verdict.parse(reviewed.response().text());
        boolean revise = !verdict.pass() && state.iteration < of;
        String message = verdict.pass() ? "Pass: " + verdict.feedback()
                : revise ? "Iteration " + (state.iteration + 1) + "/" + of + ": refining after review — "
                + verdict.feedback()
                : "Accepted after " + of + " iterations; last review: " + verdict.feedback();
        record.emit(Kind.REVIEW, AgentRole.SUPERVISOR, message, Json.object().put("verdict", verdict.pass() ? "pass" : "revise")
                .put("feedback", verdict.feedback()).put("iteration", state.iteration).put("of", of));
        if (!revise) {
            accept();
            return;
        }
        state.messages.add(ChatMessage.assistant(state.stepAnswer));
        state.messages.add(ChatMessage.user("The Supervisor reviewed your result and asks for a revision: "
                + verdict.feedback() + "\nAnswer with the revised result."));
        state.stepAnswer = null;
        state.iteration++;
        state.turns = 0;
        record.transition(TaskStatus.RUNNING);
    }

    private void accept() {
        state.results.add(state.stepAnswer);
        state.stepAnswer = null;
        state.step++;
        state.iteration = 1;
        state.turns = 0;
        state.messages = new ArrayList<>();
        state.callCounts.clear();
        if (record.task().status() != TaskStatus.RUNNING) {
            record.transition(TaskStatus.RUNNING);
        } else if (state.managed) {
            record.save(); // else a restart would ask the Supervisor again
        } // unreviewed, the end's write carries it: a restart accepts the same answer again without a call
    }
}
