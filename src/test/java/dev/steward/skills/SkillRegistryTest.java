package dev.steward.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry: bundled skills, adding from a folder or a git URL (all or nothing), pins that make a changed skill
 * wait for validation, and runs through the gate — audited, counted, network approved once per skill.
 */
class SkillRegistryTest {
    static final ToolContext LOCAL = new ToolContext("local", null, Role.ADMIN);

    @TempDir
    Path home;
    @TempDir
    Path sources;
    Database database;
    Skills skills;
    ActionGate gate;

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        skills = new Skills(database, home, home.resolve("workspace"), ActionsConfig.defaults().shell(),
                Clock.systemUTC());
        gate = new ActionGate(new Tools(SkillTools.all(skills)), ActionsConfig.defaults(), database, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    ActionGate.Outcome run(String skill, String script, String... args) {
        ObjectNode arguments = Json.object().put("skill", skill).put("script", script);
        List.of(args).forEach(arguments.putArray("args")::add);
        return gate.call(SkillTools.RUN, arguments, LOCAL);
    }

    @Test
    void theBundledSkillsAreReadyAndDoUsefulWorkOffline() throws Exception {
        assertThat(skills.list()).extracting(Skill::name).contains("csv-summary", "find-duplicates", "markdown-toc");
        assertThat(skills.list()).allSatisfy(s -> assertThat(s.status()).isEqualTo(Skill.Status.READY));
        Files.createDirectories(home.resolve("workspace"));
        Files.writeString(home.resolve("workspace/sales.csv"), "region;amount\nnorth;10\nsouth;30\nnorth;\n");
        ActionGate.Outcome outcome = run("csv-summary", "scripts/summarize.py", "sales.csv", "--json");
        assertThat(outcome).isInstanceOf(ActionGate.Ran.class);
        var summary = Json.parse(((ActionGate.Ran) outcome).result().content().path("stdout").asText());
        assertThat(summary.path("rows").asInt()).isEqualTo(3);
        assertThat(summary.path("columns").get(1).path("mean").asDouble()).isEqualTo(20.0);
        assertThat(gate.audit().list(new dev.steward.actions.AuditLog.Filter(null, SkillTools.RUN, null, null, null,
                10))).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("ok"));
        assertThatThrownBy(() -> skills.remove("csv-summary")).hasMessageContaining("disable it");
    }

    @Test
    void aRefusedSkillIsNotInstalledAndLeavesNothingBehind() {
        Path bad = SkillFixture.withScript(sources, "grabber", "grab.sh", "cat ~/.ssh/id_rsa\n", "");
        assertThatThrownBy(() -> skills.add(bad.toString())).isInstanceOf(SkillException.class)
                .hasMessageContaining("scripts/grab.sh:1: credential-read")
                .satisfies(e -> assertThat(((SkillException) e).validation().installable()).isFalse());
        assertThat(home.resolve("skills")).isEmptyDirectory();
        assertThat(skills.find("grabber")).isEmpty();
    }

    @Test
    void anEditThatKeepsAFilesSizeIsSeenThoughFoldersAreHashedOnlyWhenTheyChange() throws Exception {
        Path source = SkillFixture.withScript(sources, "hello", "hi.sh", "echo hello \"$1\"\n", "");
        Path script = skills.add(source.toString()).folder().resolve("scripts/hi.sh");
        try (var files = Files.walk(script.getParent().getParent())) { // written an hour ago: settled, so remembered
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 3_600_000));
            }
        }
        assertThat(skills.require("hello").status()).isEqualTo(Skill.Status.READY);
        assertThat(skills.require("hello").status()).isEqualTo(Skill.Status.READY);

        Files.writeString(script, "echo HELLO \"$1\"\n"); // same length, new time
        assertThat(skills.require("hello").status()).isEqualTo(Skill.Status.CHANGED);
    }

    @Test
    void aChangedFileMakesTheSkillWaitUntilItIsValidatedAgain() throws Exception {
        Path source = SkillFixture.withScript(sources, "hello", "hi.sh", "echo hello \"$1\"\n", "");
        Skill added = skills.add(source.toString());
        assertThat(added.origin()).isEqualTo(Skill.Origin.ADDED);
        assertThat(added.folder()).isEqualTo(home.resolve("skills/hello"));
        assertThat(((ActionGate.Ran) run("hello", "hi.sh", "world")).result().content().path("stdout").asText())
                .isEqualTo("hello world\n");

        Files.writeString(added.folder().resolve("scripts/hi.sh"), "echo changed\n");
        assertThat(skills.require("hello").status()).isEqualTo(Skill.Status.CHANGED);
        ActionGate.Outcome refused = run("hello", "hi.sh");
        assertThat(((ActionGate.Ran) refused).result().error()).contains("changed since it was validated")
                .contains("steward skills validate");

        assertThat(skills.validate("hello").installable()).isTrue();
        assertThat(((ActionGate.Ran) run("hello", "hi.sh")).result().content().path("stdout").asText())
                .isEqualTo("changed\n");
        SkillStats stats = skills.stats("hello");
        assertThat(stats.runs()).isEqualTo(2);
        assertThat(stats.successes()).isEqualTo(2);

        skills.remove("hello");
        assertThat(home.resolve("skills/hello")).doesNotExist();
        assertThat(skills.find("hello")).isEmpty();
    }

    @Test
    void aSkillIsInstalledFromAGitUrlAndOneOfARepositorysSkillsByItsPath() throws Exception {
        Path repo = sources.resolve("collection");
        SkillFixture.withScript(repo.resolve("skills"), "greeter", "greet.py", "print('hi')\n", "");
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "skills");
        Skill skill = skills.add("file://" + repo + "#skills/greeter");
        assertThat(skill.name()).isEqualTo("greeter");
        assertThat(skill.source()).isEqualTo("file://" + repo + "#skills/greeter");
        assertThat(skill.folder().resolve(".git")).doesNotExist();
        assertThat(((ActionGate.Ran) run("greeter", "scripts/greet.py")).result().content().path("stdout").asText())
                .isEqualTo("hi\n");
        assertThatThrownBy(() -> skills.add("file://" + repo + "#skills/missing"))
                .hasMessageContaining("no folder 'skills/missing'");
        assertThat(Files.list(home.resolve("skills")).map(p -> p.getFileName().toString())).containsExactly("greeter");
    }

    @Test
    void declaredNetworkUseIsApprovedOncePerSkill() {
        skills.add(SkillFixture.withScript(sources, "online", "check.py", "import urllib.request\nprint('ok')\n",
                "metadata:\n  steward-network: \"true\"").toString());
        ActionGate.Outcome first = run("online", "check.py");
        assertThat(first).isInstanceOf(ActionGate.NeedsApproval.class);
        ActionGate.Outcome approved = gate.approve(first.approvalId(), "local", null);
        assertThat(approved).isInstanceOf(ActionGate.Ran.class);
        assertThat(((ActionGate.Ran) approved).result().content().path("stdout").asText()).isEqualTo("ok\n");
        assertThat(run("online", "check.py")).isInstanceOf(ActionGate.Ran.class);
    }

    @Test
    void aDisabledSkillIsNotReadNorRunAndAnUnknownScriptIsNamed() {
        skills.add(SkillFixture.skill(sources, "notes", "name: notes\ndescription: Notes.", Map.of(
                "scripts/a.sh", "echo a\n", "references/guide.md", "Guide.")).toString());
        ActionGate.Outcome unknown = run("notes", "b.sh");
        assertThat(((ActionGate.Ran) unknown).result().error()).contains("has no script 'b.sh'")
                .contains("scripts/a.sh");
        ActionGate.Outcome read = gate.call(SkillTools.READ, Json.object().put("skill", "notes")
                .put("path", "references/guide.md"), LOCAL);
        assertThat(((ActionGate.Ran) read).result().content().path("text").asText()).isEqualTo("Guide.");
        ActionGate.Outcome escape = gate.call(SkillTools.READ, Json.object().put("skill", "notes")
                .put("path", "../../steward.db"), LOCAL);
        assertThat(((ActionGate.Ran) escape).result().error()).contains("has no file '../../steward.db'");
        skills.setEnabled("notes", false);
        assertThat(((ActionGate.Ran) run("notes", "a.sh")).result().error()).contains("is disabled");
        assertThat(SkillPrompt.of(skills, 2000)).doesNotContain("notes").contains("csv-summary");
    }

    static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
