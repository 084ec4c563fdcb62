/**
 * Real-world tools, one subpackage each: {@code email}, {@code calendar}, {@code documents}, {@code git},
 * {@code payments}, {@code browser}, and {@code common} (the tool builder and argument reading they share). Every one
 * is an ordinary tool of the actions SPI: called only through the ActionGate (policy, approvals, audit, rate limits),
 * never around it, and {@code actions} does not know them. They may use router, memory, store, config and support;
 * connections and their secrets come from configuration ({@code connections:}, {@code ${secret:NAME}}).
 */
package dev.steward.integrations;
