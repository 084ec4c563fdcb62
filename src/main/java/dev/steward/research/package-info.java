/**
 * The research assistant ({@code steward research}): splits a question into sub-questions, reads the sources through
 * the gate (browser.open, or http.fetch when no browser can start), and writes a report whose every citation was
 * checked against the text it cites. Sits above the agent, beside schedule, learning and rollout: it drives tools,
 * the router and memory itself. May depend on agent, actions, router, memory, config and support.
 */
package dev.steward.research;
