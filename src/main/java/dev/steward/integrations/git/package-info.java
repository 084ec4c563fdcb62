/**
 * Git on repositories inside the workspace (JGit): {@code git.status}, {@code git.log}, {@code git.diff},
 * {@code git.commit} (taken back by a soft reset), {@code git.branch}, {@code git.checkout}, and {@code git.push}
 * (external: approval by default). Uses actions (the tool SPI), support and integrations.common.
 */
package dev.steward.integrations.git;
