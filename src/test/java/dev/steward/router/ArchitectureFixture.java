package dev.steward.router;

/** One half of a cycle between two parts, for {@code ArchitectureRulesTest} only. */
public final class ArchitectureFixture {
    dev.steward.memory.ArchitectureFixture other;
}
