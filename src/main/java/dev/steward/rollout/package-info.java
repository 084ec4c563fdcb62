/**
 * Phased rollouts of a routing alias from its model (the baseline) to a candidate: pre-checks, shadow copies,
 * sticky canary and ramp shares, gates that roll back on their own, promotion that rewrites the alias after a state
 * checkpoint; feature flags; state checkpoints (export and import of a whole home). The router knows only its
 * {@link dev.steward.router.AliasArbiter} seam, which {@link dev.steward.rollout.Rollouts} implements.
 * May use agent, router, actions, memory, identity, store, config and support; knows nothing of schedule or learning.
 */
package dev.steward.rollout;
