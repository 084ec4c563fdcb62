/**
 * Tools and the gate every action goes through: risk, per-role policy, approvals, rate limits, argument
 * validation, the sandbox, compensation (rollback) and the tamper-evident audit log, plus the built-in tools and
 * external MCP servers. May depend on store, config and support only; skills and integrations use it, never the
 * other way round.
 */
package dev.steward.actions;
