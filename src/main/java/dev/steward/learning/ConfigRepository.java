package dev.steward.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RevertCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The history of what shapes Steward's behaviour: {@code steward.yaml}, {@code preferences.yaml} and the folders of
 * prompts, crews and skills in STEWARD_HOME, as a git repository (JGit) whose metadata lives in
 * {@code STEWARD_HOME/config-history} so that the home itself stays an ordinary folder. Every applied proposal is one
 * commit naming it, a rollback is a revert commit, and edits made by hand are committed before Steward changes
 * anything, so nothing a person wrote is lost.
 */
public final class ConfigRepository implements AutoCloseable {
    static final String GIT_DIR = "config-history";
    /** What is versioned, relative to STEWARD_HOME; whatever of it exists. */
    static final List<String> TRACKED = List.of("steward.yaml", Preferences.FILE_NAME, "prompts", "crews", "skills");
    private static final PersonIdent STEWARD = new PersonIdent("Steward", "steward@localhost");

    private final Path home;
    private final Git git;

    private ConfigRepository(Path home, Git git) {
        this.home = home;
        this.git = git;
    }

    /** Opens the repository, making it (with a first commit of what exists) the first time. */
    public static ConfigRepository open(Path home) {
        try {
            Path gitDir = home.resolve(GIT_DIR);
            if (!Files.isDirectory(gitDir)) {
                Git.init().setGitDir(gitDir.toFile()).setDirectory(home.toFile()).setInitialBranch("main").call().close();
            }
            // The metadata is not in home/.git, so say where the work tree is each time.
            Git git = Git.wrap(new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setWorkTree(home.toFile())
                    .setMustExist(true).build());
            ConfigRepository repo = new ConfigRepository(home, git);
            if (repo.head() == null) {
                repo.commitAll("Start of the configuration history", true);
            }
            return repo;
        } catch (IOException | GitAPIException e) {
            throw new LearningException("cannot open the configuration history in " + home.resolve(GIT_DIR) + ": "
                    + e.getMessage(), "check that STEWARD_HOME is writable; moving the folder away starts a new history");
        }
    }

    /** The newest commit's id, or null before the first. */
    public String head() {
        try {
            ObjectId id = git.getRepository().resolve("HEAD");
            return id == null ? null : id.name();
        } catch (IOException e) {
            throw new LearningException("cannot read the configuration history: " + e.getMessage(), null);
        }
    }

    /** Commits whatever changed in the tracked files by hand since the last commit; the new head. */
    public String commitHandEdits() {
        return commitAll("Edits made by hand", false);
    }

    /** Commits every tracked file as it is now; no commit (the head stays) when nothing changed. */
    String commitAll(String message, boolean allowEmpty) {
        try {
            for (String path : TRACKED) {
                if (Files.exists(home.resolve(path))) {
                    git.add().addFilepattern(path).call();
                }
                git.add().setUpdate(true).addFilepattern(path).call(); // a deleted file is a change too
            }
            boolean changed = !git.status().call().getUncommittedChanges().isEmpty();
            if (!changed && !allowEmpty) {
                return head();
            }
            return git.commit().setMessage(message).setAuthor(STEWARD).setCommitter(STEWARD)
                    .setAllowEmpty(allowEmpty).call().name();
        } catch (GitAPIException e) {
            throw new LearningException("cannot record the configuration in its history: " + e.getMessage(), null);
        }
    }

    /** Puts the tracked files back as the last commit has them: what a failed change half-wrote is gone. */
    void discardUncommitted() {
        try {
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).call();
        } catch (GitAPIException e) {
            throw new LearningException("cannot restore the configuration from its history: " + e.getMessage(),
                    "'git --git-dir=" + home.resolve(GIT_DIR) + " --work-tree=" + home + " status' shows what differs");
        }
    }

    /**
     * Undoes one commit with a new one. When later commits changed the same lines, nothing is changed and the error
     * names them: they depend on it and are rolled back first.
     */
    String revert(String commitId, String message) {
        try {
            RevCommit target = git.getRepository().parseCommit(ObjectId.fromString(commitId));
            RevertCommand revert = git.revert().include(target).setOurCommitName("current configuration");
            RevCommit done = revert.call();
            if (done == null || revert.getFailingResult() != null || revert.getUnmergedPaths() != null) {
                discardUncommitted();
                throw new LearningException("cannot roll back " + shortId(commitId) + ": later changes to the same "
                        + "lines depend on it (" + String.join(", ", laterTouching(target)) + ")",
                        "roll those back first ('steward improve history' lists them), then try again");
            }
            // RevertCommand writes its own message; say which proposal it undoes.
            return git.commit().setAmend(true).setMessage(message).setAuthor(STEWARD).setCommitter(STEWARD).call().name();
        } catch (IOException | GitAPIException e) {
            throw new LearningException("cannot roll back " + shortId(commitId) + ": " + e.getMessage(), null);
        }
    }

    private List<String> laterTouching(RevCommit target) throws IOException, GitAPIException {
        List<String> later = new ArrayList<>();
        for (RevCommit c : git.log().call()) {
            if (c.equals(target)) {
                break;
            }
            later.add(shortId(c.name()) + " " + c.getShortMessage());
        }
        return later;
    }

    /** One commit of the history, newest first in {@link #log}. */
    public record Version(String id, Instant at, String message) {}

    public List<Version> log(int limit) {
        try {
            List<Version> out = new ArrayList<>();
            for (RevCommit c : git.log().setMaxCount(limit).call()) {
                out.add(new Version(c.name(), Instant.ofEpochSecond(c.getCommitTime()), c.getFullMessage().strip()));
            }
            return out;
        } catch (GitAPIException e) {
            throw new LearningException("cannot read the configuration history: " + e.getMessage(), null);
        }
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(10, id.length()));
    }

    @Override
    public void close() {
        git.close();
    }
}
