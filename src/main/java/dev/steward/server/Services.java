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
import dev.steward.rollout.Rollouts;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.skills.Skills;
import dev.steward.schedule.Automation;
import dev.steward.store.Database;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The parts of Steward the server exposes, wired by the application (or a test) once.
 *
 * @param settings the configuration in effect as shown to an admin, secrets masked
 * The parts after {@code clock} are optional: null serves none of their routes.
 *
 * @param skills   the skill registry
 * @param rollouts phased rollouts of routing aliases
 * @param automation schedules, crews, webhooks and notifications
 * @param learning ratings and the learning loop's proposals
 */
public record Services(StewardConfig config, Database database, Router router, ModelCallLog calls, TaskStore tasks,
                       TaskRunner runner, ActionGate gate, Memory memory, MemorySearch search, Accounts accounts,
                       Supplier<ObjectNode> settings, Clock clock, Skills skills, Rollouts rollouts,
                       Automation automation, Learning learning) {
    /** The core parts only: none of the optional parts' routes are served. */
    public Services(StewardConfig config, Database database, Router router, ModelCallLog calls, TaskStore tasks,
                    TaskRunner runner, ActionGate gate, Memory memory, MemorySearch search, Accounts accounts,
                    Supplier<ObjectNode> settings, Clock clock) {
        this(config, database, router, calls, tasks, runner, gate, memory, search, accounts, settings, clock, null,
                null, null, null);
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
