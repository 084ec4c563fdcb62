package dev.steward.agent;

import java.util.List;

/** One step of a Manager's plan: what to produce, which agent profile does it, the tools it expects, an estimate. */
record PlanStep(int n, String goal, String agent, List<String> tools, int estimateSeconds) {
    PlanStep {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
