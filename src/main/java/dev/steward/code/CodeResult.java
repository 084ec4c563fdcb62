package dev.steward.code;

import java.util.List;

/**
 * How a code task ended.
 *
 * @param passed  whether the last round's tests passed and the Supervisor accepted the change
 * @param reason  why it ended: accepted, or why the workflow gave up
 * @param diff    the unified diff of the change against the project as it was (empty when nothing was written)
 * @param scratch the copy the work was done in, relative to the workspace
 * @param files   the files the change writes, with their content's hash before and after, for {@code apply}
 * @param tests   every test run, one per round
 */
public record CodeResult(String taskId, String project, boolean passed, String reason, int rounds, String diff,
                         String scratch, List<ChangedFile> files, List<TestRun> tests) {

    /** A file of the change: its path in the project, and SHA-256 of its content before (empty: new) and after. */
    public record ChangedFile(String path, String before, String after) {}
}
