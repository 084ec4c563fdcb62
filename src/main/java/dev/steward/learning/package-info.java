/**
 * The learning loop: Steward reads its own history (task outcomes, model and tool errors, cost, latency and what
 * users said of answers), proposes concrete changes with their evidence and a replayed evaluation, and applies a
 * change only when a person approves it, as one commit of a configuration repository that a rollback reverts.
 *
 * <p>{@link dev.steward.learning.Learning} is the face the CLI and the server use. Learning sits above the agent
 * (it replays requests through the router and reads task rows) and knows no other part that drives the agent
 * (schedule, rollout). Applied preferences reach the agent through its context seam, never by the agent knowing
 * this package. Memory upkeep proposals run {@link dev.steward.memory.MemoryUpkeep}, which the application hands in
 * ({@link dev.steward.learning.Learning.Levers}) so that analysing opens no search index of its own.
 */
package dev.steward.learning;
