/**
 * The HTTP face of Steward: the REST API, the OpenAI-compatible gateway, the web UI, server-sent task events,
 * metrics, readiness and the MCP server (over HTTP and stdio). Handlers are thin: they check who calls and hand
 * the work to the parts. May depend on every part except app and bench.
 */
package dev.steward.server;
