package dev.steward.skills;

import dev.steward.config.ActionsConfig;
import dev.steward.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The skill registry: the bundled skills, those in STEWARD_HOME/skills (made by hand, by 'skills new' or installed by
 * 'skills add'), each pinned by content hash once validated. A skill whose files no longer match its pin is
 * {@link Skill.Status#CHANGED} and does not run until validated again. Runs go through {@link SkillTools}, that is
 * through the action gate.
 */
public final class Skills {
    private final Path skillsHome;
    private final SkillStore store;
    private final SkillInstaller installer;
    private final SkillRunner runner;
    private final Clock clock;
    /** Validations of folders that are not pinned (refused ones), by content hash: each is checked once per process. */
    private final Map<String, SkillValidator.Checked> checkedByHash = new ConcurrentHashMap<>();
    /** Manifests of pinned folders as read, by content hash: read again only when a folder changes. */
    private final Map<String, SkillValidator.Checked> readByHash = new ConcurrentHashMap<>();
    /** Each folder's hash with the stamp it was taken at: a chat lists the skills, and rehashing them cost 3 %. */
    private final Map<Path, Hashed> hashedByFolder = new ConcurrentHashMap<>();

    private record Hashed(List<String> stamp, String hash) {}
    private volatile Path bundled;

    public Skills(Database database, Path home, Path workspace, ActionsConfig.Shell limits, Clock clock) {
        this.skillsHome = home.resolve("skills");
        this.store = new SkillStore(database);
        this.installer = new SkillInstaller(skillsHome, home.resolve("cache"));
        this.runner = new SkillRunner(workspace, limits, home.resolve("cache"), store, clock);
        this.clock = clock;
    }

    /** Where users' skills live: STEWARD_HOME/skills. */
    public Path home() {
        return skillsHome;
    }

    /** Every skill, by name; one in STEWARD_HOME/skills hides a bundled one of the same name. */
    public List<Skill> list() {
        Map<String, SkillStore.Pin> pins = store.pins();
        Map<String, Skill> byName = new LinkedHashMap<>();
        Path bundledHome = bundledHome();
        for (Path folder : folders(bundledHome)) {
            Skill skill = load(folder, Skill.Origin.BUNDLED, pins);
            byName.put(skill.name(), skill);
        }
        for (Path folder : folders(skillsHome)) {
            SkillStore.Pin pin = pins.get(folder.getFileName().toString());
            Skill skill = load(folder, pin != null && pin.origin().equals(Skill.Origin.ADDED.id()) ? Skill.Origin.ADDED
                    : Skill.Origin.HOME, pins);
            byName.put(skill.name(), skill);
        }
        return byName.values().stream().sorted(java.util.Comparator.comparing(Skill::name)).toList();
    }

    public Optional<Skill> find(String name) {
        return list().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The skill, or a usage error naming the skills there are. */
    public Skill require(String name) {
        return find(name).orElseThrow(() -> SkillException.usage("no skill named '" + name + "'; skills: "
                + String.join(", ", list().stream().map(Skill::name).toList()) + " (see 'steward skills list')"));
    }

    /**
     * Validates a folder, or the installed skill of that name; an installed skill that passes is pinned at its
     * current content again, so a changed skill can run once it has been checked.
     */
    public Validation validate(String pathOrName) {
        Path folder = Path.of(pathOrName);
        if (!Files.isDirectory(folder)) {
            Optional<Skill> known = find(pathOrName);
            if (known.isEmpty()) {
                throw SkillException.usage("no folder or skill named '" + pathOrName + "'; give the folder that "
                        + "holds SKILL.md, or the name of an installed skill");
            }
            folder = known.get().folder();
        }
        SkillValidator.Checked checked = SkillValidator.check(folder);
        Path real = folder.toAbsolutePath().normalize();
        if (checked.validation().installable() && real.getParent() != null
                && real.getParent().equals(skillsHome.toAbsolutePath().normalize())) {
            String name = real.getFileName().toString();
            SkillStore.Pin pin = store.pin(name).orElse(null);
            store.pin(name, pin == null ? Skill.Origin.HOME.id() : pin.origin(), null, checked.hash(), clock.millis());
        }
        return checked.validation();
    }

    /** Installs a skill from a folder or git URL, if validation passes; otherwise nothing is left behind. */
    public Skill add(String source) {
        return add(source, source);
    }

    /** Installs a skill Steward drafted (see {@link SkillOffers}), validated like any other; {@code origin} says so. */
    Skill addDrafted(Path folder, String origin) {
        return add(folder.toString(), origin);
    }

    private Skill add(String source, String recordedSource) {
        SkillInstaller.Staged staged = installer.stage(source);
        Validation validation = staged.checked().validation();
        if (!validation.installable()) {
            SkillFolder.delete(staged.staging());
            throw SkillException.refused("the skill " + (validation.name() == null ? "in " + source
                    : "'" + validation.name() + "'"), validation);
        }
        String name = validation.name();
        Path installed = installer.install(staged, name);
        String hash = SkillFolder.hash(installed);
        if (!hash.equals(staged.checked().hash())) {
            installer.uninstall(installed);
            throw SkillException.failed("the skill '" + name + "' changed while it was installed; add it again");
        }
        store.pin(name, Skill.Origin.ADDED.id(), recordedSource, hash, clock.millis());
        return require(name);
    }

    /** Removes an installed skill: its folder and its pin (its run history stays, for the record). */
    public void remove(String name) {
        Skill skill = require(name);
        if (skill.origin() == Skill.Origin.BUNDLED) {
            throw SkillException.usage("'" + name + "' is bundled with Steward and cannot be removed; disable it with "
                    + "'steward skills disable " + name + "'");
        }
        installer.uninstall(skill.folder());
        store.remove(name);
    }

    /** Makes STEWARD_HOME/skills/NAME from the template, validated and pinned: a starting point to edit. */
    public Skill create(String name) {
        Path folder = installer.create(name);
        Validation validation = validate(folder.toString());
        if (!validation.installable()) {
            throw SkillException.refused("the new skill '" + name + "'", validation);
        }
        return require(name);
    }

    public void setEnabled(String name, boolean enabled) {
        Skill skill = require(name);
        if (store.pin(name).isEmpty()) {
            throw SkillException.usage(skill.unavailable() == null ? "the skill '" + name + "' is not validated yet"
                    : skill.unavailable());
        }
        store.setEnabled(name, enabled);
    }

    /** The stats of every skill, those never run included. */
    public List<SkillStats> stats() {
        Map<String, SkillStats> counted = store.stats();
        List<SkillStats> all = new ArrayList<>();
        for (Skill skill : list()) {
            all.add(counted.getOrDefault(skill.name(), SkillStats.none(skill.name())));
        }
        return all;
    }

    /** The stats of the skills that ran, by name (one query, without listing the skills again). */
    Map<String, SkillStats> counted() {
        return store.stats();
    }

    public SkillStats stats(String name) {
        return store.stats().getOrDefault(name, SkillStats.none(name));
    }

    /** Whether running this skill now needs the user's approval: it declares network use not yet approved. */
    public boolean needsNetworkApproval(String name) {
        Optional<Skill> skill = find(name);
        return skill.isPresent() && skill.get().permissions().network()
                && !store.pin(name).map(SkillStore.Pin::networkApproved).orElse(false);
    }

    /** Runs a script of a ready, enabled skill in the sandbox and counts the run; callers go through the gate. */
    public SkillRun run(String name, String script, List<String> args, String userId, String taskId) {
        Skill skill = require(name);
        if (skill.unavailable() != null) {
            throw SkillException.failed(skill.unavailable());
        }
        SkillStore.Pin pin = store.pin(name).orElseThrow();
        if (skill.permissions().network() && !pin.networkApproved()) {
            // the gate let this call through: the user approved it (or the policy allows it without asking)
            store.approveNetwork(name);
        }
        return runner.run(skill, pin.hash(), script, args, userId, taskId);
    }

    /** Whether bubblewrap is there to run skills in. */
    public boolean sandboxAvailable() {
        return runner.available();
    }

    /** The scripts of a skill, relative to its folder. */
    public static List<String> scripts(Skill skill) {
        return SkillRunner.scripts(skill.folder());
    }

    private Path bundledHome() {
        if (bundled == null) {
            bundled = installer.bundled();
        }
        return bundled;
    }

    private static List<Path> folders(Path root) {
        if (root == null || !Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The folder's content hash, taken again only when its stamp (names, sizes, times) differs from the last. */
    private String hash(Path folder) {
        SkillFolder.Stamp stamp = SkillFolder.stamp(folder);
        Hashed known = hashedByFolder.get(folder);
        if (known != null && known.stamp().equals(stamp.files())) {
            return known.hash();
        }
        String hash = SkillFolder.hash(folder);
        if (stamp.settled(System.currentTimeMillis())) { // file times are the real clock's; see Stamp.settled
            hashedByFolder.put(folder, new Hashed(stamp.files(), hash));
        } else {
            hashedByFolder.remove(folder);
        }
        return hash;
    }

    private Skill load(Path folder, Skill.Origin origin, Map<String, SkillStore.Pin> pins) {
        String folderName = folder.getFileName().toString();
        String hash = hash(folder);
        SkillStore.Pin pin = pins.get(folderName);
        boolean pinned = pin != null && pin.hash().equals(hash);
        SkillValidator.Checked checked = pinned
                ? readByHash.computeIfAbsent(hash + folder, k -> SkillValidator.read(folder))
                : checkedByHash.computeIfAbsent(hash + folder, k -> SkillValidator.check(folder));
        Skill.Status status;
        if (pinned) {
            status = Skill.Status.READY;
        } else if (pin != null && origin != Skill.Origin.BUNDLED) {
            status = Skill.Status.CHANGED;
        } else if (checked.validation().installable()) {
            // first sight of a folder (or a new version of a bundled one): validated now, so pinned now
            store.pin(folderName, origin.id(), null, hash, clock.millis());
            status = Skill.Status.READY;
        } else {
            status = Skill.Status.REFUSED;
        }
        SkillManifest manifest = checked.manifest();
        String name = manifest != null && manifest.name() != null ? manifest.name() : folderName;
        String description = manifest == null || manifest.description() == null ? "" : manifest.description();
        return new Skill(status == Skill.Status.REFUSED ? folderName : name, description, origin,
                pin == null ? null : pin.source(), folder, manifest, checked.permissions(), status,
                pin == null || pin.enabled(), hash, checked.validation().findings());
    }
}
