/**
 * Every model call: providers (OpenAI, Anthropic, anything OpenAI-compatible, the offline model), the routing
 * decision by task, cost and health, budgets, fallback, the answer cache and streaming. May depend on store,
 * config and support only.
 */
package dev.steward.router;
