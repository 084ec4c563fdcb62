package dev.steward.skills;

import dev.steward.support.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Puts skill folders in place: the bundled ones out of the jar, added ones from a folder or a git URL (validated in a
 * staging folder, then moved into STEWARD_HOME/skills in one step, so a refused or failed add leaves nothing behind),
 * new ones from the template; and takes them away again.
 */
final class SkillInstaller {
    static final String BUNDLED = "/dev/steward/skills/bundled/";
    static final String STAGING_PREFIX = ".staging-";
    private static final Pattern GIT_URL = Pattern.compile("^(https?|git|ssh|file)://.+|^[\\w.-]+@[\\w.-]+:.+");
    private static final int CLONE_TIMEOUT_SECONDS = 120;

    private final Path skillsHome;
    private final Path cache;

    SkillInstaller(Path skillsHome, Path cache) {
        this.skillsHome = skillsHome;
        this.cache = cache;
    }

    /** The folder of the bundled skills, written out of the jar once per content (a new version gets a new folder). */
    Path bundled() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream index = SkillInstaller.class.getResourceAsStream(BUNDLED + "index.txt")) {
            if (index == null) {
                return null;
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String file = line.strip();
                if (file.isEmpty()) {
                    continue;
                }
                try (InputStream in = SkillInstaller.class.getResourceAsStream(BUNDLED + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the bundled skill file " + file + " is missing from the jar");
                    }
                    byte[] bytes = in.readAllBytes();
                    files.put(file, bytes);
                    digest.update(file.getBytes(StandardCharsets.UTF_8));
                    digest.update(bytes);
                }
            }
            Path target = cache.resolve("bundled-skills").resolve(HexFormat.of().formatHex(digest.digest()).substring(0, 16));
            if (Files.isDirectory(target)) {
                return target;
            }
            Path staging = cache.resolve("bundled-skills").resolve(STAGING_PREFIX + Ids.next());
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path path = staging.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
                if (file.getKey().contains("/scripts/")) {
                    path.toFile().setExecutable(true);
                }
            }
            try {
                moveInPlace(staging, target);
            } catch (IOException raced) {
                // another process wrote the same content first
                SkillFolder.delete(staging);
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundled skills to " + cache, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isGitUrl(String source) {
        return GIT_URL.matcher(source).matches();
    }

    /** What {@link #stage} made: the validated copy, and what it found. */
    record Staged(Path folder, SkillValidator.Checked checked, Path staging) {}

    /**
     * Copies a folder or clones a git URL ({@code URL#sub/folder} for a skill inside a repository) into a staging
     * folder under STEWARD_HOME/skills and validates the copy there.
     */
    Staged stage(String source) {
        Path staging = skillsHome.resolve(STAGING_PREFIX + Ids.next());
        try {
            Files.createDirectories(staging);
            Path folder;
            if (isGitUrl(source)) {
                folder = cloned(source, staging);
            } else {
                Path from = Path.of(source).toAbsolutePath().normalize();
                if (!Files.isDirectory(from)) {
                    throw SkillException.usage("no folder " + source + "; give the folder that holds SKILL.md, or a "
                            + "git URL (https://…/repo.git, with #path/to/skill for one skill in a repository)");
                }
                folder = staging.resolve(from.getFileName().toString());
                SkillFolder.copy(from, folder);
            }
            return new Staged(folder, SkillValidator.check(folder), staging);
        } catch (IOException e) {
            SkillFolder.delete(staging);
            throw SkillException.failed("cannot copy " + source + ": " + e.getMessage());
        } catch (RuntimeException e) {
            SkillFolder.delete(staging);
            throw e;
        }
    }

    /** Moves a validated staged skill into STEWARD_HOME/skills/NAME in one step; the staging folder goes. */
    Path install(Staged staged, String name) {
        Path target = skillsHome.resolve(name);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw SkillException.usage("a skill named '" + name + "' is installed already in " + target
                        + "; remove it first with 'steward skills remove " + name + "'");
            }
            moveInPlace(staged.folder(), target);
            return target;
        } catch (IOException e) {
            throw SkillException.failed("cannot install " + name + " into " + target + ": " + e.getMessage());
        } finally {
            SkillFolder.delete(staged.staging());
        }
    }

    /** Takes an installed skill's folder away: first moved aside in one step, then deleted. */
    void uninstall(Path folder) {
        Path aside = skillsHome.resolve(STAGING_PREFIX + Ids.next());
        try {
            moveInPlace(folder, aside);
        } catch (IOException e) {
            throw SkillException.failed("cannot remove " + folder + ": " + e.getMessage());
        }
        SkillFolder.delete(aside);
    }

    /** A new skill from the template, ready to edit: SKILL.md and a script that runs. */
    Path create(String name) {
        List<Finding> problems = SkillManifest.parse("---\nname: " + name + "\ndescription: x\n---\n", name).findings();
        if (!problems.isEmpty()) {
            throw SkillException.usage(problems.getFirst().message());
        }
        Path target = skillsHome.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw SkillException.usage("a skill named '" + name + "' exists already in " + target);
        }
        Path staging = skillsHome.resolve(STAGING_PREFIX + Ids.next()).resolve(name);
        try {
            Files.createDirectories(staging.resolve("scripts"));
            Files.writeString(staging.resolve("SKILL.md"), template("SKILL.md").replace("NAME", name));
            Path script = staging.resolve("scripts/run.py");
            Files.writeString(script, template("run.py"));
            script.toFile().setExecutable(true);
            moveInPlace(staging, target);
            return target;
        } catch (IOException e) {
            throw SkillException.failed("cannot create " + target + ": " + e.getMessage());
        } finally {
            SkillFolder.delete(staging.getParent());
        }
    }

    private static String template(String file) throws IOException {
        try (InputStream in = SkillInstaller.class.getResourceAsStream("/dev/steward/skills/template/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Clones with the git program: shallow, no prompts, no hooks of ours, within a timeout. */
    private static Path cloned(String source, Path staging) throws IOException {
        int hash = source.indexOf('#');
        String url = hash < 0 ? source : source.substring(0, hash);
        String sub = hash < 0 ? "" : source.substring(hash + 1).replaceAll("^/+|/+$", "");
        Path clone = staging.resolve("clone");
        ProcessBuilder git = new ProcessBuilder("git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never",
                "clone", "--quiet", "--depth", "1", "--no-recurse-submodules", "--", url, clone.toString())
                .redirectErrorStream(true);
        git.environment().put("GIT_TERMINAL_PROMPT", "0");
        git.environment().put("GIT_ASKPASS", "/bin/false");
        Process process;
        try {
            process = git.start();
        } catch (IOException e) {
            throw SkillException.failed("cannot run git to clone " + url + " (" + e.getMessage() + "); install git "
                    + "or clone it yourself and add the folder");
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readNBytes(4000), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(CLONE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw SkillException.failed("cloning " + url + " took more than " + CLONE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw SkillException.failed("interrupted while cloning " + url);
        }
        if (process.exitValue() != 0) {
            throw SkillException.failed("git could not clone " + url + ": " + output);
        }
        SkillFolder.delete(clone.resolve(".git"));
        Path folder = sub.isEmpty() ? clone : clone.resolve(sub).normalize();
        if (!folder.startsWith(clone) || !Files.isDirectory(folder)) {
            throw SkillException.usage("there is no folder '" + sub + "' in " + url);
        }
        String name = sub.isEmpty() ? url.replaceAll("/+$", "").replaceAll("\\.git$", "")
                .replaceAll(".*[/:]", "").toLowerCase(Locale.ROOT) : folder.getFileName().toString();
        Path named = staging.resolve(name);
        Files.move(folder, named);
        return named;
    }

    private static void moveInPlace(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
