package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;

/** A changed copy of a task, field by field: the run changes a few fields of its task at each step. */
final class TaskBuilder {
    private final Task from;
    private TaskStatus status;
    private Intent intent;
    private String answer;
    private String error;
    private String model;
    private long tokensIn;
    private long tokensOut;
    private long costMicros;
    private Long startedAt;
    private Long finishedAt;
    private String agent;
    private JsonNode plan;
    private Integer currentStep;
    private Integer iteration;
    private String question;
    private String approvalId;

    TaskBuilder(Task from) {
        this.from = from;
        status = from.status();
        intent = from.intent();
        answer = from.answer();
        error = from.error();
        model = from.model();
        tokensIn = from.tokensIn();
        tokensOut = from.tokensOut();
        costMicros = from.costMicros();
        startedAt = from.startedAt();
        finishedAt = from.finishedAt();
        agent = from.agent();
        plan = from.plan();
        currentStep = from.currentStep();
        iteration = from.iteration();
        question = from.question();
        approvalId = from.approvalId();
    }

    TaskBuilder status(TaskStatus value) {
        status = value;
        return this;
    }

    TaskBuilder intent(Intent value) {
        intent = value;
        return this;
    }

    TaskBuilder answer(String value) {
        answer = value;
        return this;
    }

    TaskBuilder error(String value) {
        error = value;
        return this;
    }

    TaskBuilder startedAt(Long value) {
        startedAt = value;
        return this;
    }

    TaskBuilder finishedAt(Long value) {
        finishedAt = value;
        return this;
    }

    TaskBuilder agent(String value) {
        agent = value;
        return this;
    }

    TaskBuilder plan(JsonNode value) {
        plan = value;
        return this;
    }

    TaskBuilder currentStep(Integer value) {
        currentStep = value;
        return this;
    }

    TaskBuilder iteration(Integer value) {
        iteration = value;
        return this;
    }

    TaskBuilder question(String value) {
        question = value;
        return this;
    }

    TaskBuilder approvalId(String value) {
        approvalId = value;
        return this;
    }

    /** The usage and cost a run has counted so far. */
    TaskBuilder tokens(RunState state) {
        tokensIn = state.tokensIn;
        tokensOut = state.tokensOut;
        costMicros = state.costMicros;
        model = state.model;
        return this;
    }

    Task build() {
        return new Task(from.id(), from.userId(), from.conversationId(), status, intent, from.input(), answer, error,
                model, tokensIn, tokensOut, costMicros, from.createdAt(), startedAt, finishedAt, agent, plan,
                currentStep, iteration, question, approvalId, from.source());
    }
}
