/**
 * Traces: OpenTelemetry spans for HTTP requests, tasks and their steps, model calls and tool calls, named and
 * described by the OpenTelemetry GenAI semantic conventions, with W3C {@code traceparent} carried in from callers and
 * on to providers and MCP servers. Set up from the standard {@code OTEL_*} variables; off by default, and then every
 * hook is a no-op that allocates nothing. Metrics stay with the server, which reads them from the rows Steward
 * writes. May depend on store, config and support only.
 */
package dev.steward.telemetry;
