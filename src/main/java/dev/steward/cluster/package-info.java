/**
 * Scale-out: several {@code steward serve} nodes on one PostgreSQL database, coordinated by the database alone.
 * The node registry (heartbeats, {@code steward nodes}, {@code GET /api/nodes}), the memory change feed that keeps
 * each node's search index in step with the database, the budget ledger that admits reservations atomically across
 * nodes, the rate-limit buckets all nodes count in together (Bucket4j's state in {@code rate_buckets}), and the
 * relay that streams other nodes' task events to this node's SSE clients. Task leases themselves live in the agent's
 * store (claims are conditional updates); schedules fire once through db-scheduler's row locks. Nothing here runs on
 * SQLite: a single node keeps its in-process paths. May depend on agent, router, memory, store, config and support;
 * only app and server use it.
 */
package dev.steward.cluster;
