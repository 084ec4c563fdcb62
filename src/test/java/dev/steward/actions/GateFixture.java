package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A gate over a fresh SQLite home with the built-in tools, a settable clock, and the local user. */
final class GateFixture implements AutoCloseable {
    static final ToolContext LOCAL = new ToolContext("local", null, Role.ADMIN);

    /** What the tool gave back; fails the test unless the call ran. */
    static JsonNode content(ActionGate.Outcome outcome) {
        if (!(outcome instanceof ActionGate.Ran ran)) {
            throw new AssertionError("the call did not run: " + outcome);
        }
        return ran.result().content();
    }

    final Path home;
    final Path workspace;
    final Database database;
    final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ActionGate gate;

    GateFixture(Path home, ActionsConfig config, Tool... extra) {
        this.home = home;
        this.workspace = home.resolve("workspace");
        this.database = Database.open(home, DatabaseConfig.embedded());
        List<Tool> tools = new ArrayList<>(BuiltinTools.create(config, workspace));
        tools.addAll(List.of(extra));
        this.gate = new ActionGate(new Tools(tools), config, database, clock);
    }

    GateFixture(Path home) {
        this(home, ActionsConfig.defaults());
    }

    ActionGate.Outcome call(String tool, String json) {
        return gate.call(tool, Json.parse(json), LOCAL);
    }

    List<AuditLog.Entry> audit() {
        return gate.audit().list(new AuditLog.Filter(null, null, null, null, null, 1000));
    }

    AuditLog.Entry lastAudit() {
        return audit().get(0);
    }

    @Override
    public void close() {
        database.close();
    }

    static JsonNode json(String text) {
        return Json.parse(text);
    }

}
