package dev.steward.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the agent runtime works ({@code agents:} in steward.yaml): the limits of a run, the prompt and model tier of
 * each role, and the agent profiles the Manager (or the user, with {@code --agent}) chooses from. Profiles in the
 * file replace the built-in profile of the same name and add to the others.
 *
 * @param maxSteps         model turns one step may take before it fails (the step limit)
 * @param timeLimitSeconds working time (not time spent waiting for a person) a task may take before it fails
 * @param maxIterations    Supervisor reviews of one step: the first result and up to this many minus one revisions
 * @param loopRepeats      the same tool call with the same arguments this many times in one step is a loop: fail
 * @param historyTokens    the token budget of earlier conversation sent with a message (oldest dropped first)
 */
public record AgentsConfig(
        Integer maxSteps,
        Integer timeLimitSeconds,
        Integer maxIterations,
        Integer loopRepeats,
        Integer historyTokens,
        Role manager,
        Role employee,
        Role supervisor,
        List<Profile> profiles) {

    /**
     * A role's instructions and model tier. Tiers: {@code cheap} (the router's fast, cheap models first),
     * {@code smart} (its strongest first), {@code standard} (the router estimates from the request).
     */
    public record Role(String prompt, String tier) {
        public Role {
            prompt = prompt == null ? "" : prompt.strip();
            tier = tier == null || tier.isBlank() ? null : tier.strip().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * An agent the Employee can be: what it is for (the Manager reads the description), its instructions, the tools
     * it may use (names, or prefixes ending in {@code *}; empty means every tool), its model tier and its limits.
     * {@code model} (a routing alias or a model) answers its steps instead of the tier's choice; with {@code flag},
     * only for users that feature flag is on for ({@code steward flags set NAME 10%}), the tier for everyone else.
     */
    public record Profile(String name, String description, String prompt, List<String> tools, String tier,
                          Integer maxSteps, Integer timeLimitSeconds, String model, String flag) {
        public Profile {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an agent profile needs a name");
            }
            name = name.strip().toLowerCase(Locale.ROOT);
            description = description == null ? "" : description.strip();
            prompt = prompt == null ? "" : prompt.strip();
            tools = tools == null ? List.of() : List.copyOf(tools);
            tier = tier == null || tier.isBlank() ? "standard" : tier.strip().toLowerCase(Locale.ROOT);
            model = model == null || model.isBlank() ? null : model.strip();
            flag = flag == null || flag.isBlank() ? null : flag.strip().toLowerCase(Locale.ROOT);
            if (flag != null && model == null) {
                throw new IllegalArgumentException("agents.profiles " + name + ": flag '" + flag
                        + "' needs a model to switch to (add model: ALIAS_OR_MODEL, or remove the flag)");
            }
        }

        public Profile(String name, String description, String prompt, List<String> tools, String tier,
                       Integer maxSteps, Integer timeLimitSeconds) {
            this(name, description, prompt, tools, tier, maxSteps, timeLimitSeconds, null, null);
        }

        /** Whether this profile may use the tool: listed by name, or under a listed prefix such as {@code files.*}. */
        public boolean allows(String tool) {
            return tools.isEmpty() || tools.stream().anyMatch(t -> t.equals(tool)
                    || t.endsWith("*") && tool.startsWith(t.substring(0, t.length() - 1)));
        }
    }

    public static final List<Profile> DEFAULT_PROFILES = List.of(
            new Profile("code", "Writes, reads and fixes code and scripts in the workspace, and runs them.",
                    "You are a careful software engineer. Read the relevant files before you change them, make the "
                            + "smallest change that does the job, and run what you wrote when you can.",
                    List.of("files.*", "shell.run"), "smart", null, null),
            new Profile("research", "Finds and checks information: web pages, databases, memory; summarises it.",
                    "You are a thorough researcher. Gather facts with the tools, cite where each came from, and say "
                            + "plainly what you could not confirm.",
                    List.of("http.fetch", "browser.open", "browser.extract", "sql.query", "memory.*", "files.read",
                            "files.search", "files.list"),
                    "standard", null, null),
            new Profile("files", "Organises, reads, writes, moves and searches files in the workspace.",
                    "You manage files in the user's workspace. Look before you change anything, never delete what "
                            + "you were not asked to, and say exactly which files you touched.",
                    List.of("files.*"), "cheap", null, null));

    public static final String MANAGER_PROMPT = """
            You are the Manager. Turn the user's request into a short ordered plan of 1 to 6 steps that together do \
            it. Each step has a goal (what to produce), the agent best suited to it, the tools it will likely use, and \
            an estimate in seconds. Answer only with JSON: {"steps": [{"goal": "...", "agent": "...", \
            "tools": ["..."], "estimate_seconds": 30}]}. Agents: """;
    public static final String EMPLOYEE_PROMPT = """
            You are Steward, a capable assistant for a person or a small business. Answer clearly and briefly. \
            Use the tools you are given when they help; never invent their results. If something essential is \
            missing, ask the user with the steward.ask_user tool instead of guessing.""";
    public static final String SUPERVISOR_PROMPT = """
            You are the Supervisor. Check the result of one step against its goal and the user's request: is it \
            complete, correct and usable as it is? Answer only with JSON: {"verdict": "pass" or "revise", \
            "feedback": "what to fix, or why it passes"}.""";

    public AgentsConfig {
        maxSteps = positive(maxSteps, 12, "agents.max_steps");
        timeLimitSeconds = positive(timeLimitSeconds, 600, "agents.time_limit_seconds");
        maxIterations = positive(maxIterations, 3, "agents.max_iterations");
        loopRepeats = positive(loopRepeats, 3, "agents.loop_repeats");
        historyTokens = positive(historyTokens, 6000, "agents.history_tokens");
        manager = withDefaults(manager, MANAGER_PROMPT, "smart");
        employee = withDefaults(employee, EMPLOYEE_PROMPT, "standard");
        supervisor = withDefaults(supervisor, SUPERVISOR_PROMPT, "cheap");
        List<Profile> merged = new ArrayList<>(DEFAULT_PROFILES);
        for (Profile p : profiles == null ? List.<Profile>of() : profiles) {
            merged.removeIf(d -> d.name().equals(p.name()));
            merged.add(p);
        }
        profiles = List.copyOf(merged);
    }

    public static AgentsConfig defaults() {
        return new AgentsConfig(null, null, null, null, null, null, null, null, null);
    }

    public AgentsConfig withMaxSteps(int steps) {
        return new AgentsConfig(steps, timeLimitSeconds, maxIterations, loopRepeats, historyTokens, manager, employee,
                supervisor, profiles);
    }

    public AgentsConfig withTimeLimitSeconds(int seconds) {
        return new AgentsConfig(maxSteps, seconds, maxIterations, loopRepeats, historyTokens, manager, employee,
                supervisor, profiles);
    }

    public Optional<Profile> profile(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return profiles.stream().filter(p -> p.name().equals(wanted)).findFirst();
    }

    public List<String> profileNames() {
        return profiles.stream().map(Profile::name).toList();
    }

    private static Role withDefaults(Role role, String prompt, String tier) {
        if (role == null) {
            return new Role(prompt, tier);
        }
        return new Role(role.prompt().isEmpty() ? prompt : role.prompt(), role.tier() == null ? tier : role.tier());
    }

    private static int positive(Integer value, int fallback, String key) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
        return value;
    }
}
