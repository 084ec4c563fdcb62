package dev.steward.integrations.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.IntegrationTool;
import dev.steward.integrations.common.WorkspacePaths;
import dev.steward.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.CheckoutConflictException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.RefAlreadyExistsException;
import org.eclipse.jgit.api.errors.RefNotFoundException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/** The git tools, each on a repository named by its folder in the workspace ({@code repo}, default the top). */
public final class GitTools {
    private static final String REPO = "\"repo\":{\"type\":\"string\",\"description\":\"the repository's folder in "
            + "the workspace (default: the workspace itself)\"}";
    private final WorkspacePaths workspace;

    GitTools(WorkspacePaths workspace) {
        this.workspace = workspace;
    }

    public static List<Tool> create(WorkspacePaths workspace) {
        GitTools git = new GitTools(workspace);
        return List.of(
                tool("git.status", "What changed in a repository: staged, modified, untracked, conflicting files.",
                        "", "", Risk.READ, git::status),
                tool("git.log", "The latest commits of the current branch.",
                        ",\"max\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200}", "", Risk.READ, git::log),
                tool("git.diff", "The changes not yet committed, as a unified diff (staged: only what is staged).",
                        ",\"staged\":{\"type\":\"boolean\"}", "", Risk.READ, git::diff),
                tool("git.commit", "Commit the staged changes (all: every change, new files included).",
                        ",\"message\":{\"type\":\"string\",\"minLength\":1},\"all\":{\"type\":\"boolean\"}", "\"message\"",
                        Risk.WRITE, git::commit),
                tool("git.branch", "List the branches, or create one (name) at the current commit.",
                        ",\"name\":{\"type\":\"string\"}", "", Risk.WRITE, git::branch),
                tool("git.checkout", "Switch to a branch (create: make it first).",
                        ",\"branch\":{\"type\":\"string\",\"minLength\":1},\"create\":{\"type\":\"boolean\"}", "\"branch\"",
                        Risk.WRITE, git::checkout),
                tool("git.push", "Push a branch (default: the current one) to a remote (default: origin).",
                        ",\"remote\":{\"type\":\"string\"},\"branch\":{\"type\":\"string\"}", "", Risk.EXTERNAL, git::push)
                        .withPreview(args -> "Push " + (args.hasNonNull("branch") ? "branch " + Args.optional(args, "branch")
                                : "the current branch") + " of " + repoName(args) + " to "
                                + (args.hasNonNull("remote") ? Args.optional(args, "remote") : "origin"))
                        .withApprovalByDefault("publishing commits beyond this machine"));
    }

    private static IntegrationTool tool(String name, String description, String properties, String required, Risk risk,
                                        java.util.function.BiFunction<JsonNode, ToolContext, ToolResult> body) {
        return IntegrationTool.of(name, description, "{\"type\":\"object\",\"properties\":{" + REPO + properties + "}"
                + (required.isEmpty() ? "" : ",\"required\":[" + required + "]") + "}", risk, body);
    }

    private static String repoName(JsonNode args) {
        return args.hasNonNull("repo") ? Args.optional(args, "repo") : "the workspace repository";
    }

    /** Opens the repository at {@code repo}; one outside the workspace, or no repository, is refused. */
    private Git open(JsonNode args) {
        String name = args.hasNonNull("repo") ? Args.optional(args, "repo") : ".";
        Path dir = workspace.resolve(name);
        if (!Files.isDirectory(dir.resolve(".git")) && !Files.isRegularFile(dir.resolve(".git"))) {
            throw new ToolException("git: '" + name + "' is not a git repository in the workspace (no .git folder); "
                    + "give repo as the repository's folder, relative to the workspace");
        }
        try {
            Git git = Git.open(dir.toFile());
            Path worktree = git.getRepository().getWorkTree().toPath().toRealPath();
            if (!worktree.startsWith(workspace.root())) {
                git.close();
                throw new ToolException("git: the repository at '" + name + "' has its work tree outside the workspace");
            }
            return git;
        } catch (IOException e) {
            throw new ToolException("git: cannot open '" + name + "': " + e.getMessage());
        }
    }

    private ToolResult status(JsonNode args, ToolContext context) {
        try (Git git = open(args)) {
            Status status = git.status().call();
            ObjectNode result = Json.object().put("branch", git.getRepository().getBranch()).put("clean", status.isClean());
            put(result, "staged", union(status.getAdded(), status.getChanged(), status.getRemoved()));
            put(result, "modified", status.getModified());
            put(result, "missing", status.getMissing());
            put(result, "untracked", status.getUntracked());
            put(result, "conflicting", status.getConflicting());
            return ToolResult.ok(result);
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: status failed: " + e.getMessage());
        }
    }

    private ToolResult log(JsonNode args, ToolContext context) {
        try (Git git = open(args)) {
            ArrayNode commits = Json.mapper().createArrayNode();
            if (git.getRepository().resolve("HEAD") != null) {
                for (RevCommit commit : git.log().setMaxCount(args.path("max").asInt(20)).call()) {
                    commits.add(Json.object().put("id", commit.getName()).put("short", commit.abbreviate(7).name())
                            .put("author", commit.getAuthorIdent().getName() + " <" + commit.getAuthorIdent().getEmailAddress() + ">")
                            .put("date", Instant.ofEpochSecond(commit.getCommitTime()).toString())
                            .put("message", commit.getFullMessage().strip()));
                }
            }
            ObjectNode result = Json.object().put("branch", git.getRepository().getBranch());
            result.set("commits", commits);
            return ToolResult.ok(result);
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: log failed: " + e.getMessage());
        }
    }

    private ToolResult diff(JsonNode args, ToolContext context) {
        try (Git git = open(args)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            git.diff().setCached(Args.flag(args, "staged")).setOutputStream(out).call();
            return ToolResult.ok(Json.object().put("diff", out.toString(StandardCharsets.UTF_8)));
        } catch (GitAPIException e) {
            throw new ToolException("git: diff failed: " + e.getMessage());
        }
    }

    private ToolResult commit(JsonNode args, ToolContext context) {
        try (Git git = open(args)) {
            if (Args.flag(args, "all")) {
                git.add().addFilepattern(".").call();
                git.add().addFilepattern(".").setUpdate(true).call(); // deletions too
            }
            Status status = git.status().call();
            if (status.getAdded().isEmpty() && status.getChanged().isEmpty() && status.getRemoved().isEmpty()) {
                throw new ToolException("git: nothing to commit" + (status.isClean() ? "; the work tree is clean"
                        : "; nothing is staged (pass all: true to commit every change)"));
            }
            RevCommit previous = head(git.getRepository());
            var command = git.commit().setMessage(Args.text(args, "message"));
            if (git.getRepository().getConfig().getString("user", null, "name") == null) {
                command.setAuthor("Steward", "steward@localhost").setCommitter("Steward", "steward@localhost");
            }
            RevCommit commit = command.call();
            Path dir = git.getRepository().getWorkTree().toPath();
            ToolResult result = ToolResult.ok(Json.object().put("id", commit.getName())
                    .put("branch", git.getRepository().getBranch()).put("message", commit.getFullMessage().strip()));
            return previous == null ? result : result.withUndo(Compensation.of("undo commit " + commit.abbreviate(7).name()
                    + " (soft reset to " + previous.abbreviate(7).name() + ")", () -> {
                        try (Git again = Git.open(dir.toFile())) {
                            if (commit.equals(head(again.getRepository()))) {
                                again.reset().setMode(ResetCommand.ResetType.SOFT).setRef(previous.getName()).call();
                            }
                        }
                    }));
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: commit failed: " + e.getMessage());
        }
    }

    private ToolResult branch(JsonNode args, ToolContext context) {
        try (Git git = open(args)) {
            String name = Args.optional(args, "name");
            if (name != null && !name.isBlank()) {
                git.branchCreate().setName(name).call();
            }
            ArrayNode branches = Json.mapper().createArrayNode();
            for (Ref ref : git.branchList().call()) {
                branches.add(Repository.shortenRefName(ref.getName()));
            }
            ObjectNode result = Json.object().put("current", git.getRepository().getBranch());
            if (name != null && !name.isBlank()) {
                result.put("created", name);
            }
            result.set("branches", branches);
            return ToolResult.ok(result);
        } catch (RefAlreadyExistsException e) {
            throw new ToolException("git: a branch named '" + Args.optional(args, "name") + "' already exists");
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: branch failed: " + e.getMessage());
        }
    }

    private ToolResult checkout(JsonNode args, ToolContext context) {
        String branch = Args.text(args, "branch");
        try (Git git = open(args)) {
            String before = git.getRepository().getBranch();
            git.checkout().setName(branch).setCreateBranch(Args.flag(args, "create")).call();
            return ToolResult.ok(Json.object().put("branch", branch).put("previous", before));
        } catch (CheckoutConflictException e) {
            throw new ToolException("git: switching to '" + branch + "' would overwrite uncommitted changes in "
                    + String.join(", ", e.getConflictingPaths()) + "; commit them (git.commit) first");
        } catch (RefNotFoundException e) {
            throw new ToolException("git: there is no branch '" + branch + "' (create: true makes it)");
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: checkout failed: " + e.getMessage());
        }
    }

    private ToolResult push(JsonNode args, ToolContext context) {
        String remote = args.hasNonNull("remote") ? Args.optional(args, "remote") : "origin";
        try (Git git = open(args)) {
            String branch = args.hasNonNull("branch") ? Args.optional(args, "branch") : git.getRepository().getBranch();
            if (!git.getRepository().getRemoteNames().contains(remote)) {
                throw new ToolException("git: the repository has no remote '" + remote + "'; its remotes: "
                        + git.getRepository().getRemoteNames());
            }
            ArrayNode updates = Json.mapper().createArrayNode();
            for (PushResult pushed : git.push().setRemote(remote).add(branch).call()) {
                for (RemoteRefUpdate update : pushed.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new ToolException("git: " + remote + " refused " + update.getRemoteName() + " ("
                                + update.getStatus() + (update.getMessage() == null ? "" : ": " + update.getMessage())
                                + "); pull and merge its changes first, or push another branch");
                    }
                    updates.add(update.getRemoteName() + ": " + update.getStatus().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
            ObjectNode result = Json.object().put("remote", remote).put("branch", branch);
            result.set("updates", updates);
            return ToolResult.ok(result);
        } catch (GitAPIException | IOException e) {
            throw new ToolException("git: push to " + remote + " failed: " + e.getMessage()
                    + " (check the remote's URL and that this machine may write to it)");
        }
    }

    private static RevCommit head(Repository repository) throws IOException {
        var id = repository.resolve("HEAD");
        if (id == null) {
            return null;
        }
        try (var walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
            return walk.parseCommit(id);
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    private static void put(ObjectNode node, String field, Set<String> paths) {
        ArrayNode list = node.putArray(field);
        new java.util.TreeSet<>(paths).forEach(list::add);
    }
}
