package dev.steward.memory;

/** The other half of a cycle between two parts, for {@code ArchitectureRulesTest} only. */
public final class ArchitectureFixture {
    dev.steward.router.ArchitectureFixture other;
}
