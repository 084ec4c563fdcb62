package dev.steward.integrations.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git tools through the gate on real repositories (JGit) in a workspace, pushing to a bare one beside it. */
class GitToolsTest {
    private static final ToolContext ME = new ToolContext("local", null);

    @TempDir
    Path home;

    private ActionGate gate(Path workspace) {
        return new ActionGate(new Tools(GitTools.create(new WorkspacePaths(workspace))), ActionsConfig.defaults(),
                Database.open(home, DatabaseConfig.embedded()), Clock.systemUTC());
    }

    private static JsonNode ok(ActionGate.Outcome outcome) {
        assertThat(outcome.ok()).as("%s", outcome.message()).isTrue();
        return outcome.asJson();
    }

    @Test
    void commitsLandBranchesSwitchAndAPushWaitsForApproval() throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        Path bare = home.resolve("remote.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path site = workspace.resolve("site");
        try (Git git = Git.init().setDirectory(site.toFile()).setInitialBranch("main").call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
        }
        ActionGate gate = gate(workspace);
        Files.writeString(site.resolve("index.html"), "<h1>Hello</h1>\n");

        JsonNode status = ok(gate.call("git.status", Json.object().put("repo", "site"), ME));
        assertThat(status.path("untracked").toString()).contains("index.html");

        JsonNode first = ok(gate.call("git.commit", Json.object().put("repo", "site").put("message", "First page")
                .put("all", true), ME));
        Files.writeString(site.resolve("index.html"), "<h1>Hello, world</h1>\n");
        assertThat(ok(gate.call("git.diff", Json.object().put("repo", "site"), ME)).path("diff").asText())
                .contains("-<h1>Hello</h1>", "+<h1>Hello, world</h1>");
        ok(gate.call("git.commit", Json.object().put("repo", "site").put("message", "Greet the world").put("all", true), ME));

        try (Git git = Git.open(site.toFile())) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThat(head.getFullMessage()).isEqualTo("Greet the world");
            assertThat(head.getParent(0).getName()).isEqualTo(first.path("id").asText());
        }
        assertThat(ok(gate.call("git.log", Json.object().put("repo", "site"), ME)).path("commits")
                .findValuesAsText("message")).containsExactly("Greet the world", "First page");

        ok(gate.call("git.checkout", Json.object().put("repo", "site").put("branch", "draft").put("create", true), ME));
        assertThat(ok(gate.call("git.branch", Json.object().put("repo", "site"), ME)).path("current").asText())
                .isEqualTo("draft");
        ok(gate.call("git.checkout", Json.object().put("repo", "site").put("branch", "main"), ME));

        ActionGate.Outcome push = gate.call("git.push", Json.object().put("repo", "site"), ME);
        assertThat(push).isInstanceOf(ActionGate.NeedsApproval.class);
        assertThat(gate.approval(push.approvalId()).orElseThrow().reason())
                .contains("Push the current branch of site to origin", "publishing commits beyond this machine");
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.getRepository().resolve("refs/heads/main")).isNull();
        }
        ok(gate.approve(push.approvalId(), "local", null));
        try (Git remote = Git.open(bare.toFile())) {
            assertThat(remote.log().setMaxCount(1).call().iterator().next().getFullMessage()).isEqualTo("Greet the world");
        }
    }

    @Test
    void aRepositoryOutsideTheWorkspaceOrAFolderThatIsNoneIsRefused() throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        Git.init().setDirectory(home.resolve("elsewhere").toFile()).call().close();
        Files.createDirectories(workspace.resolve("plain"));
        ActionGate gate = gate(workspace);

        assertThat(gate.call("git.status", Json.object().put("repo", "../elsewhere"), ME).message())
                .contains("leads out of the workspace");
        assertThat(gate.call("git.log", Json.object().put("repo", "plain"), ME).message())
                .contains("'plain' is not a git repository in the workspace");
        assertThat(gate.call("git.commit", Json.object().put("message", "x"), ME).message())
                .contains("is not a git repository");
    }
}
