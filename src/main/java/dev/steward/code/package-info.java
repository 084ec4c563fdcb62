/**
 * The code workflow ({@code steward code}, {@code POST /api/code}): the Manager plans which files of a workspace
 * project to touch, the Employee writes them into a scratch copy of the project and runs the project's tests in the
 * sandbox (only the copy visible), the Supervisor reads the diff and the test result and sends it back for another
 * round, at most N; the result is a unified diff that reaches the real project only when the user applies it. Every
 * write and every test run goes through the action gate. Sits above the agent, beside research: it records its work
 * as a task through the agent's {@code TaskJournal}. May depend on agent, actions, router, config and support.
 */
package dev.steward.code;
