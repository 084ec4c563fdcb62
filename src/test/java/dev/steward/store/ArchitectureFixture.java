package dev.steward.store;

import dev.steward.agent.TaskStatus;

/** An arrow that points up (store knows the agent), for {@code ArchitectureRulesTest} only. */
public final class ArchitectureFixture {
    TaskStatus status;
}
