package dev.steward.app;

import dev.steward.cluster.Node;
import dev.steward.cluster.Nodes;
import dev.steward.support.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = {"The steward serve nodes sharing this database (PostgreSQL): each one's version, state (live,"
                + " draining, or silent when its heartbeat stopped), tasks at work and task leases held.",
                "On SQLite one process serves the database; see docs/scale-out.md to run several nodes."})
final class NodesCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Steward steward = parent.steward();
        Nodes nodes = new Nodes(steward.database(), Clock.systemUTC(),
                steward.config().cluster().heartbeatSeconds() * 1_000L);
        if (output.json) {
            System.out.println(Json.pretty(nodes.json()));
            return Main.OK;
        }
        if (!nodes.clustered()) {
            System.out.println("One node: this database is SQLite (" + nodes.databaseUrl() + "). Several nodes need"
                    + " PostgreSQL (database.url); see docs/scale-out.md.");
            return Main.OK;
        }
        List<Node> all = nodes.list();
        if (all.isEmpty()) {
            System.out.println("No node is serving this database; start one with 'steward serve'.");
            return Main.OK;
        }
        Instant now = Instant.now();
        System.out.printf("%-26s %-9s %-10s %6s %6s  %-14s %s%n", "NODE", "STATE", "VERSION", "TASKS", "LEASES",
                "HEARTBEAT", "HOST");
        for (Node n : all) {
            System.out.printf("%-26s %-9s %-10s %6d %6d  %-14s %s%n", n.id(), n.state(), n.version(), n.activeTasks(),
                    n.leases(), Duration.between(n.heartbeatAt(), now).toSeconds() + " s ago", n.host());
        }
        return Main.OK;
    }
}
