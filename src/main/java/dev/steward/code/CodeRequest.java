package dev.steward.code;

/**
 * A code change to make.
 *
 * @param request     what the user asked for, in their words
 * @param project     the project's folder, relative to the workspace
 * @param testCommand the command that runs the project's tests inside its folder; null to detect it
 * @param rounds      how many write-and-test rounds the Supervisor may ask for, 1 to {@link #MOST_ROUNDS}
 */
public record CodeRequest(String request, String project, String testCommand, int rounds) {
    public static final int DEFAULT_ROUNDS = 3;
    public static final int MOST_ROUNDS = 10;

    public CodeRequest {
        if (request == null || request.isBlank()) {
            throw new IllegalArgumentException("the request is empty: steward code \"WHAT TO CHANGE\" --project DIR");
        }
        if (project == null || project.isBlank() || project.strip().equals(".")) {
            throw new IllegalArgumentException("name the project's folder in the workspace: --project DIR "
                    + "(\"project\" in the API)");
        }
        if (rounds < 1 || rounds > MOST_ROUNDS) {
            throw new IllegalArgumentException("rounds must be 1 to " + MOST_ROUNDS + ", not " + rounds);
        }
        request = request.strip();
        project = project.strip().replaceAll("/+$", "");
        testCommand = testCommand == null || testCommand.isBlank() ? null : testCommand.strip();
    }
}
