/**
 * Autonomy: schedules (cron, run by db-scheduler from a table it locks, so that several nodes never run one schedule
 * twice), crews (YAML teams of steps run in order, bundled or in STEWARD_HOME/crews), signed webhooks that start
 * tasks, the per-user notification inbox with its outbound channels, and the briefing. Every task it starts goes
 * through the agent's runner and so through the action gate, with its source recorded (schedule:NAME, crew:NAME,
 * webhook:NAME). May depend on agent, skills, integrations, router, actions, memory, identity, store, config and
 * support; it knows nothing of learning or rollout, and only app and server use it.
 */
package dev.steward.schedule;
