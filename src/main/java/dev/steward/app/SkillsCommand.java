package dev.steward.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.config.Role;
import dev.steward.skills.Finding;
import dev.steward.skills.Skill;
import dev.steward.skills.SkillException;
import dev.steward.skills.SkillJson;
import dev.steward.skills.SkillStats;
import dev.steward.skills.SkillTools;
import dev.steward.skills.Skills;
import dev.steward.skills.Validation;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "skills", mixinStandardHelpOptions = true,
        description = {"Skills in the Agent Skills format: a folder with SKILL.md and optional scripts/.",
                "Skills are validated before they are installed and run in a sandbox; see docs/skills.md."},
        subcommands = {SkillsCommand.ListSkills.class, SkillsCommand.Show.class, SkillsCommand.New.class,
                SkillsCommand.Add.class, SkillsCommand.Remove.class, SkillsCommand.Validate.class,
                SkillsCommand.Run.class, SkillsCommand.Stats.class, SkillsCommand.Enable.class,
                SkillsCommand.Disable.class})
final class SkillsCommand extends CommandGroup {

    Skills skills() {
        return parent.steward().skills();
    }

    /** Runs a skills operation: a request that is wrong is a usage error (2), a refusal or failure exits 1. */
    static int handled(Callable<Integer> body) {
        try {
            return body.call();
        } catch (SkillException e) {
            if (e.usage()) {
                throw new UsageException(e.getMessage());
            }
            System.err.println("steward: " + e.getMessage());
            return Main.TASK_FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every skill: its origin, status, "
            + "success rate and description.")
    static final class ListSkills implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Skills skills = group.skills();
            List<Skill> all = skills.list();
            List<SkillStats> stats = skills.stats();
            if (output.json) {
                ArrayNode array = Json.mapper().createArrayNode();
                for (Skill skill : all) {
                    array.add(SkillJson.of(skill, stat(stats, skill.name()), false));
                }
                System.out.println(Json.pretty(array));
                return Main.OK;
            }
            System.out.printf("%-24s  %-8s  %-8s  %-8s  %s%n", "NAME", "ORIGIN", "STATUS", "SUCCESS", "DESCRIPTION");
            for (Skill skill : all) {
                SkillStats s = stat(stats, skill.name());
                String status = skill.enabled() || skill.status() != Skill.Status.READY ? skill.status().id() : "disabled";
                System.out.printf("%-24s  %-8s  %-8s  %-8s  %s%n", skill.name(), skill.origin().id(), status,
                        rate(s), dev.steward.support.Text.abbreviate(skill.description().replaceAll("\\s+", " "), 70));
            }
            System.out.println("\nSkills live in " + skills.home() + "; add one with 'steward skills add PATH|GIT_URL'.");
            return Main.OK;
        }
    }

    static SkillStats stat(List<SkillStats> stats, String name) {
        return stats.stream().filter(s -> s.skill().equals(name)).findFirst()
                .orElse(new SkillStats(name, 0, 0, 0, 0, null, null));
    }

    static String rate(SkillStats s) {
        return s.runs() == 0 ? "-" : String.format(Locale.ROOT, "%d/%d%s", s.successes(), s.runs(),
                s.failing() ? "!" : "");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A skill's SKILL.md, scripts, "
            + "permissions, stats and findings.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            return handled(() -> {
                Skills skills = group.skills();
                Skill skill = skills.require(name);
                ObjectNode node = SkillJson.of(skill, skills.stats(name), true);
                if (output.json) {
                    System.out.println(Json.pretty(node));
                    return Main.OK;
                }
                System.out.println(skill.name() + " (" + skill.origin().id() + ", " + skill.status().id()
                        + (skill.enabled() ? "" : ", disabled") + ")  " + skill.folder());
                System.out.println(skill.description());
                System.out.println("permissions: " + node.get("permissions") + "   runs: " + node.get("stats"));
                System.out.println("scripts: " + node.get("scripts"));
                skill.findings().forEach(f -> System.out.println(f.severity().id() + ": " + f.printed()));
                if (skill.unavailable() != null) {
                    System.out.println(skill.unavailable());
                }
                System.out.println();
                System.out.println(skill.manifest() == null ? "" : skill.manifest().body());
                return Main.OK;
            });
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Make STEWARD_HOME/skills/NAME from a "
            + "template (SKILL.md and scripts/run.py) to edit.")
    static final class New implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "NAME", description = "lower-case letters, digits and hyphens")
        String name;

        @Override
        public Integer call() {
            return handled(() -> {
                Skill skill = group.skills().create(name);
                System.out.println("Created " + skill.folder() + ": edit SKILL.md and scripts/run.py, then check it "
                        + "with 'steward skills validate " + skill.folder() + "'.");
                return Main.OK;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Install a skill from a folder or a git "
            + "URL (URL#path/to/skill for one skill of a repository).",
            "It is validated first; a refused skill is not installed, and there is no switch to force it."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "PATH|GIT_URL")
        String source;

        @Override
        public Integer call() {
            return handled(() -> {
                try {
                    Skill skill = group.skills().add(source);
                    skill.findings().forEach(f -> System.err.println(f.printed()));
                    System.out.println("Installed " + skill.name() + " into " + skill.folder() + ".");
                    return Main.OK;
                } catch (SkillException e) {
                    if (e.validation() != null) {
                        e.validation().findings().forEach(f -> System.err.println(f.printed()));
                        System.err.println("steward: not installed: " + e.validation().findings().stream()
                                .filter(Finding::refuses).count() + " finding(s) refuse it (see above)");
                        return Main.TASK_FAILED;
                    }
                    throw e;
                }
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an installed skill (its run "
            + "history stays).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return handled(() -> {
                group.skills().remove(name);
                System.out.println("Removed " + name + ".");
                return Main.OK;
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = {"Check a skill folder (or an "
            + "installed skill by name): front matter, script syntax, the static scan.",
            "Exit 0 when installable (warnings allowed), 1 when refused, 2 for usage errors; each finding is also "
                    + "printed on stderr as FILE:LINE: RULE: message."})
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            return handled(() -> {
                Validation validation = group.skills().validate(path);
                validation.findings().forEach(f -> System.err.println(f.printed()));
                if (output.json) {
                    System.out.println(Json.pretty(validation));
                } else {
                    System.out.println((validation.name() == null ? path : validation.name()) + ": "
                            + (validation.installable() ? "installable" : "refused") + " ("
                            + validation.findings().size() + " finding(s))");
                }
                return validation.installable() ? Main.OK : Main.TASK_FAILED;
            });
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = {"Run a skill's script in the sandbox, "
            + "through the action gate (audited; network use is approved once per skill).",
            "Exit 0 when the script succeeds, 1 when it fails, 3 when it waits for approval."})
    static final class Run implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SCRIPT", description = "like scripts/report.py")
        String script;

        @Parameters(index = "2..*", paramLabel = "ARGS")
        List<String> args = List.of();

        @Option(names = "--json", description = "Print the whole outcome as JSON.")
        boolean json;

        @Override
        public Integer call() {
            // An unknown skill is a mistake in the command line (exit 2), not a failed run.
            int known = handled(() -> {
                group.skills().require(name);
                return Main.OK;
            });
            if (known != Main.OK) {
                return known;
            }
            ObjectNode arguments = Json.object().put("skill", name).put("script", script);
            args.forEach(arguments.putArray("args")::add);
            ActionGate gate = group.parent.steward().gate();
            ActionGate.Outcome outcome = gate.call(SkillTools.RUN, arguments,
                    new ToolContext(Steward.LOCAL_USER, null, Role.ADMIN));
            if (!json && outcome instanceof ActionGate.Ran ran && ran.result().content() != null) {
                System.out.print(ran.result().content().path("stdout").asText());
                System.err.print(ran.result().content().path("stderr").asText());
                if (ran.result().isError()) {
                    System.err.println("steward: " + ran.result().error());
                    return Main.TASK_FAILED;
                }
                return Main.OK;
            }
            return Output.outcome(outcome, json);
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Runs, successes, failures, mean "
            + "duration and last error of each skill.")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<SkillStats> stats = group.skills().stats();
            if (output.json) {
                System.out.println(Json.pretty(stats));
                return Main.OK;
            }
            System.out.printf("%-24s  %5s  %5s  %5s  %8s  %s%n", "SKILL", "RUNS", "OK", "FAIL", "MEAN MS", "LAST ERROR");
            for (SkillStats s : stats) {
                System.out.printf("%-24s  %5d  %5d  %5d  %8d  %s%n", s.skill(), s.runs(), s.successes(), s.failures(),
                        s.meanDurationMs(), s.lastError() == null ? "" : dev.steward.support.Text.abbreviate(
                                s.lastError().replaceAll("\\s+", " "), 60));
            }
            return Main.OK;
        }
    }

    /** Enable and disable: the same switch, set one way or the other. */
    abstract static class Switch implements Callable<Integer> {
        @ParentCommand
        SkillsCommand group;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        private final boolean enabled;

        Switch(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public Integer call() {
            return handled(() -> {
                group.skills().setEnabled(name, enabled);
                System.out.println((enabled ? "Enabled " : "Disabled ") + name + ".");
                return Main.OK;
            });
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let the agent use a skill again.")
    static final class Enable extends Switch {
        Enable() {
            super(true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Keep a skill installed but unused: "
            + "not shown to the model, not run.")
    static final class Disable extends Switch {
        Disable() {
            super(false);
        }
    }
}
