package dev.steward.skills;

import dev.steward.actions.Sandbox;
import dev.steward.config.ActionsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a skill's script in the sandbox: the workspace read-write as the current folder, a snapshot of the skill's
 * folder read-only at {@code /skill} (hashed again, so what runs is exactly what was validated), no network unless
 * the skill declares it, and the shell's limits on time, memory, processes and output. Every run is counted.
 */
final class SkillRunner {
    static final String SKILL_MOUNT = "/skill";

    private final Sandbox sandbox;
    private final Path workspace;
    private final ActionsConfig.Shell limits;
    private final Path cache;
    private final SkillStore store;
    private final Clock clock;

    SkillRunner(Path workspace, ActionsConfig.Shell limits, Path cache, SkillStore store, Clock clock) {
        this.sandbox = new Sandbox(workspace);
        this.workspace = workspace;
        this.limits = limits;
        this.cache = cache;
        this.store = store;
        this.clock = clock;
    }

    boolean available() {
        return sandbox.available();
    }

    /** The scripts a skill has, relative to its folder. */
    static List<String> scripts(Path folder) {
        List<String> scripts = new ArrayList<>();
        for (Path file : SkillFolder.files(folder)) {
            String name = file.toString().replace('\\', '/');
            if (Files.isRegularFile(folder.resolve(file)) && !Files.isSymbolicLink(folder.resolve(file))
                    && ScriptScan.Language.of(name, null) != null) {
                scripts.add(name);
            }
        }
        return scripts;
    }

    /** Runs {@code script} of a ready, enabled skill whose pinned hash is {@code pinnedHash}; counts the run. */
    SkillRun run(Skill skill, String pinnedHash, String script, List<String> args, String userId, String taskId) {
        String clean = script.replace('\\', '/').replaceAll("^/+", "");
        List<String> scripts = scripts(skill.folder());
        if (!scripts.contains(clean) && scripts.contains("scripts/" + clean)) {
            clean = "scripts/" + clean;
        }
        if (!scripts.contains(clean)) {
            throw SkillException.usage("the skill '" + skill.name() + "' has no script '" + script + "'; its scripts: "
                    + (scripts.isEmpty() ? "none (it is instructions only; read it with skills.read)"
                    : String.join(", ", scripts)));
        }
        ScriptScan.Language language = ScriptScan.Language.of(clean, null);
        Optional<Path> interpreter = SyntaxCheck.interpreter(language.interpreter);
        if (interpreter.isEmpty()) {
            return counted(skill, clean, userId, taskId, failure(skill, clean, language.interpreter + " is not "
                    + "installed, so " + clean + " of the skill '" + skill.name() + "' cannot run; install "
                    + language.interpreter));
        }
        Path snapshot = cache.resolve("skill-runs").resolve(dev.steward.support.Ids.next());
        try {
            Files.createDirectories(workspace);
            SkillFolder.copy(skill.folder(), snapshot);
            if (!SkillFolder.hash(snapshot).equals(pinnedHash)) {
                throw SkillException.failed("the skill '" + skill.name() + "' changed since it was validated; check it "
                        + "with 'steward skills validate " + skill.folder() + "' to use it again");
            }
            int timeout = Math.min(skill.permissions().timeoutSeconds() == null ? limits.timeoutSeconds()
                    : skill.permissions().timeoutSeconds(), limits.maxTimeoutSeconds());
            List<String> command = new ArrayList<>(List.of(interpreter.get().toString(), SKILL_MOUNT + "/" + clean));
            command.addAll(args);
            Sandbox.Result ran = sandbox.run(command, List.of(new Sandbox.Mount(snapshot, SKILL_MOUNT)),
                    skill.permissions().network(), Sandbox.Limits.of(limits, timeout));
            return counted(skill, clean, userId, taskId, new SkillRun(skill.name(), clean, ran.exitCode(),
                    ran.stdout(), ran.stderr(), ran.durationMs(), ran.timedOut(), ran.truncated(),
                    error(skill, clean, ran, timeout)));
        } catch (Sandbox.Unavailable e) {
            return counted(skill, clean, userId, taskId, failure(skill, clean, e.getMessage()));
        } catch (IOException e) {
            throw SkillException.failed("cannot prepare the skill '" + skill.name() + "' to run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return counted(skill, clean, userId, taskId, failure(skill, clean, "interrupted"));
        } finally {
            SkillFolder.delete(snapshot);
        }
    }

    private SkillRun counted(Skill skill, String script, String userId, String taskId, SkillRun run) {
        store.recordRun(skill.name(), script, userId, taskId, clock.millis() - run.durationMs(), run.durationMs(),
                run.exitCode(), run.error());
        return run;
    }

    private static SkillRun failure(Skill skill, String script, String error) {
        return new SkillRun(skill.name(), script, -1, "", "", 0, false, false, error);
    }

    private static String error(Skill skill, String script, Sandbox.Result ran, int timeout) {
        String which = script + " of the skill '" + skill.name() + "'";
        if (ran.timedOut()) {
            return which + " was stopped after " + timeout + " s; if it needs longer, declare metadata "
                    + Permissions.TIMEOUT + " in its SKILL.md (at most actions.shell.max_timeout_seconds)";
        }
        if (ran.truncated()) {
            return which + " wrote more output than the limit and was stopped; write large results to a file in the "
                    + "workspace instead (or raise actions.shell.max_output_bytes)";
        }
        if (ran.exitCode() != 0) {
            String last = ran.stderr().strip().lines().reduce((a, b) -> b).orElse("");
            return which + " failed with exit code " + ran.exitCode() + (last.isEmpty() ? "" : ": " + last);
        }
        return null;
    }
}
