package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.identity.Accounts.Principal;
import dev.steward.skills.Skill;
import dev.steward.skills.SkillException;
import dev.steward.skills.SkillJson;
import dev.steward.skills.SkillStats;
import dev.steward.skills.SkillTools;
import dev.steward.skills.Skills;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Skills over HTTP: the list with success rates, one skill with its SKILL.md, a run (through the gate, like the
 * agent's), enable and disable (admin). Installing stays on the command line, where validation's findings are read.
 */
final class SkillApi {
    private final Skills skills;
    private final ActionGate gate;

    SkillApi(Skills skills, ActionGate gate) {
        this.skills = skills;
        this.gate = gate;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/skills", "Every skill with its status and success rate", this::list);
        routes.add(config, HandlerType.GET, "/api/skills/{name}", "One skill: SKILL.md's body, scripts, findings",
                this::show);
        routes.add(config, HandlerType.POST, "/api/skills/{name}/run",
                "Run a script of the skill in the sandbox ({script, args}); through the action gate", this::run);
        routes.add(config, HandlerType.POST, "/api/skills/{name}/enable", "Let the agent use the skill (admin)",
                ctx -> enable(ctx, true));
        routes.add(config, HandlerType.POST, "/api/skills/{name}/disable", "Keep the skill unused (admin)",
                ctx -> enable(ctx, false));
    }

    private void list(Context ctx) {
        Access.principal(ctx);
        List<SkillStats> stats = skills.stats();
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("skills");
        for (Skill skill : skills.list()) {
            list.add(SkillJson.of(skill, stats.stream().filter(s -> s.skill().equals(skill.name())).findFirst()
                    .orElseThrow(), false));
        }
        HttpServer.json(ctx, 200, answer);
    }

    private void show(Context ctx) {
        Access.principal(ctx);
        Skill skill = find(ctx);
        HttpServer.json(ctx, 200, SkillJson.of(skill, skills.stats(skill.name()), true));
    }

    private void run(Context ctx) {
        Principal me = Access.withTools(ctx);
        Skill skill = find(ctx);
        JsonNode body = Bodies.object(ctx);
        ObjectNode arguments = Json.object().put("skill", skill.name())
                .put("script", Bodies.text(body, "script", true));
        JsonNode args = body.path("args");
        if (!args.isMissingNode() && !args.isArray()) {
            throw ApiError.invalid("args", "invalid_type", "args must be a list of strings, like [\"data.csv\"]");
        }
        ArrayNode list = arguments.putArray("args");
        args.forEach(a -> list.add(a.asText()));
        ActionGate.Outcome outcome = gate.call(SkillTools.RUN, arguments, new ToolContext(me.userId(), null, me.role()));
        HttpServer.json(ctx, 200, Json.object().set("outcome", outcome.asJson()));
    }

    private void enable(Context ctx, boolean enabled) {
        Access.admin(ctx);
        Skill skill = find(ctx);
        try {
            skills.setEnabled(skill.name(), enabled);
        } catch (SkillException e) {
            throw ApiError.conflict(e.getMessage(), "validate the skill first (steward skills validate NAME)");
        }
        HttpServer.json(ctx, 200, SkillJson.of(skills.require(skill.name()), skills.stats(skill.name()), false));
    }

    private Skill find(Context ctx) {
        String name = ctx.pathParam("name");
        return skills.find(name).orElseThrow(() -> ApiError.notFound("skill", name));
    }
}
