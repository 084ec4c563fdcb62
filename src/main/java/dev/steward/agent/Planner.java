package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.Tools;
import dev.steward.config.AgentsConfig;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads the Manager's plan, and makes the one-step plan when there is no Manager (offline) or its plan is unusable. */
final class Planner {
    static final int MAX_STEPS = 8;
    static final int DEFAULT_ESTIMATE_SECONDS = 30;
    private static final Pattern FILES = Pattern.compile("\\b(files?|folders?|director(y|ies)|workspace|rename|move|csv|pdf|docs?)\\b");
    private static final Pattern CODE = Pattern.compile("\\b(code|script|program|function|bug|tests?|compile|python|java|sql|api|deploy|website|app)\\b");

    private final AgentsConfig config;
    private final Tools tools;

    Planner(AgentsConfig config, Tools tools) {
        this.config = config;
        this.tools = tools;
    }

    /** The agents the Manager may choose from, for its prompt. */
    String agentList() {
        StringBuilder text = new StringBuilder();
        for (AgentsConfig.Profile p : config.profiles()) {
            text.append("\n- ").append(p.name()).append(": ").append(p.description());
        }
        return text.toString();
    }

    /**
     * The steps of the Manager's JSON answer, or null when it is not a usable plan. An unknown agent becomes the
     * best guess; {@code forced} (the user's {@code --agent}) overrides every choice.
     */
    List<PlanStep> parse(String answer, String forced) {
        JsonNode plan;
        try {
            plan = Json.parse(Json.unfenced(answer));
        } catch (IllegalArgumentException e) {
            return null;
        }
        JsonNode steps = plan.isArray() ? plan : plan.path("steps");
        if (!steps.isArray() || steps.isEmpty()) {
            return null;
        }
        List<PlanStep> parsed = new ArrayList<>();
        for (JsonNode step : steps) {
            String goal = step.isTextual() ? step.asText() : step.path("goal").asText("").strip();
            if (goal.isEmpty() || parsed.size() == MAX_STEPS) {
                continue;
            }
            String agent = forced != null ? forced : step.path("agent").asText("");
            if (config.profile(agent).isEmpty()) {
                agent = guess(goal);
            }
            List<String> named = new ArrayList<>();
            step.path("tools").forEach(t -> {
                if (tools.find(t.asText()).isPresent()) {
                    named.add(t.asText());
                }
            });
            int estimate = step.path("estimate_seconds").asInt(DEFAULT_ESTIMATE_SECONDS);
            parsed.add(new PlanStep(parsed.size() + 1, goal, agent, named, estimate > 0 ? estimate : DEFAULT_ESTIMATE_SECONDS));
        }
        return parsed;
    }

    /** The whole request as one step, for the named agent or the best guess. */
    PlanStep single(String request, String forced) {
        String agent = forced != null ? forced : guess(request);
        List<String> allowed = config.profile(agent).map(AgentsConfig.Profile::tools).orElse(List.of());
        return new PlanStep(1, request, agent, allowed, DEFAULT_ESTIMATE_SECONDS);
    }

    /** A profile by the words of a goal, when nobody chose one: files, code, or research for anything else. */
    String guess(String goal) {
        String said = goal.toLowerCase(Locale.ROOT);
        String name = CODE.matcher(said).find() ? "code" : FILES.matcher(said).find() ? "files" : "research";
        return config.profile(name).isPresent() ? name : config.profiles().getFirst().name();
    }
}
