package dev.steward.agent;

import dev.steward.actions.Provenance;
import dev.steward.router.ChatMessage;
import dev.steward.router.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands, saved as the task's checkpoint after every model turn and tool call so that another process
 * can carry on from here. Mutable on purpose: one thread at a time works a task, and it writes this state out whole
 * at each step; the JSON is what is durable.
 */
final class RunState {
    static final int MAX_UNTRUSTED = 10;
    static final int MAX_UNTRUSTED_CHARS = 64 * 1024;
    /** The profile the user named, or null to let the Manager choose. */
    public String agent;
    public boolean toolsAllowed = true;
    /** The alias or model the request named for all its calls ({@code ask --model}), or null to route as usual. */
    public String requestedModel;
    /** Earlier conversation, already trimmed to the token budget. */
    public List<ChatMessage> history = new ArrayList<>();
    /** Null until the task is planned; a simple task gets a plan of one step without the Manager. */
    public List<PlanStep> plan;
    /** Whether the Manager planned it, so the Supervisor reviews each step. */
    public boolean managed;
    /** The current step, 0-based. */
    public int step;
    /** The Supervisor's round on the current step, from 1. */
    public int iteration = 1;
    /** Model turns taken in the current round of the current step. */
    public int turns;
    /** The Employee's conversation with the model for the current step. */
    public List<ChatMessage> messages = new ArrayList<>();
    /** Tool calls of the last model turn still to be carried out, the current one first. */
    public List<ToolCall> pendingCalls = new ArrayList<>();
    /** The first pending call was handed to its tool and no result came back yet. */
    public boolean callStarted;
    /** The Employee's answer for the current step, waiting for the Supervisor. */
    public String stepAnswer;
    /** The accepted results of the finished steps. */
    public List<String> results = new ArrayList<>();
    /** How often each tool call (name and arguments) was made in the current step: loops show up here. */
    public Map<String, Integer> callCounts = new LinkedHashMap<>();
    /**
     * Untrusted content (results of tools not marked trusted) that entered the task, oldest first, at most
     * {@link #MAX_UNTRUSTED}: once there is any, calls that act need the user's words behind them or an approval.
     */
    public List<Provenance.Untrusted> untrusted = new ArrayList<>();
    /** The text of that content (each cut at {@link #MAX_UNTRUSTED_CHARS}): what it could have dictated. */
    public List<String> untrustedText = new ArrayList<>();
    /** The user's answers to the agent's questions: their own words, like the request. */
    public List<String> answers = new ArrayList<>();
    public String question;
    public String approvalId;
    public boolean usedMemoryTools;
    public long tokensIn;
    public long tokensOut;
    public long costMicros;
    public String model;
    /** Time spent working (not waiting for a person) in earlier segments of the run. */
    public long activeMillis;

    PlanStep currentStep() {
        return plan == null || step >= plan.size() ? null : plan.get(step);
    }
}
