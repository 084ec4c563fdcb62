package dev.steward.schedule;

import java.util.List;

/** A crew's run: its record, and how each step went. */
public record CrewRun(AutomationRun run, List<StepResult> steps) {
    /** Whether every step went well (skipped ones included); otherwise the owner was told. */
    public boolean ok() {
        return steps.stream().noneMatch(s -> s.outcome().escalates());
    }
}
