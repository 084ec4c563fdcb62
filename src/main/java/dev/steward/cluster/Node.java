package dev.steward.cluster;

import java.time.Instant;

/**
 * One node of the cluster as the registry sees it.
 *
 * @param id          the node's task runner id: the tasks it holds carry it
 * @param host        where it runs: host name and process id
 * @param activeTasks tasks at work on it at its last heartbeat
 * @param leases      task leases it holds now
 * @param state       live, draining (stopping: claims nothing new), or silent (no heartbeat for three beats)
 */
public record Node(String id, String host, String version, String schemaVersion, Instant startedAt,
                   Instant heartbeatAt, int activeTasks, int leases, String state) {
    public boolean live() {
        return !state.equals("silent");
    }
}
