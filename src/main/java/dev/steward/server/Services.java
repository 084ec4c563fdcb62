package dev.steward.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.learning.Learning;
import dev.steward.memory.Memory;
import dev.steward.memory.MemorySearch;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.store.Database;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The parts of Steward the server exposes, wired by the application (or a test) once.
 *
 * @param settings the configuration in effect as shown to an admin, secrets masked
 * @param learning ratings and the learning loop's proposals
 */
public record Services(StewardConfig config, Database database, Router router, ModelCallLog calls, TaskStore tasks,
                       TaskRunner runner, ActionGate gate, Memory memory, MemorySearch search, Accounts accounts,
                       Supplier<ObjectNode> settings, Clock clock, Learning learning) {

    /** The parts without the learning loop (its routes then answer that it is not available). */
    public Services(StewardConfig config, Database database, Router router, ModelCallLog calls, TaskStore tasks,
                    TaskRunner runner, ActionGate gate, Memory memory, MemorySearch search, Accounts accounts,
                    Supplier<ObjectNode> settings, Clock clock) {
        this(config, database, router, calls, tasks, runner, gate, memory, search, accounts, settings, clock, null);
    }

    /** The learning loop; a 503 naming the fix when this server was built without it. */
    @Override
    public Learning learning() {
        if (learning == null) {
            throw ApiError.of(503, "unavailable", "the learning loop is not running in this server",
                    "start the server with 'steward serve'");
        }
        return learning;
    }
}
