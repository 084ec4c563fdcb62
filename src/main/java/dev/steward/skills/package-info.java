/**
 * Skills in the open Agent Skills format: a folder with {@code SKILL.md} (YAML front matter, a Markdown body) and
 * optional {@code scripts/}, {@code references/}, {@code assets/}. Here live the format's reader, validation with
 * named rules (schema, syntax checks, a static scan), the registry (bundled, {@code STEWARD_HOME/skills}, added
 * folders and git URLs, pinned by content hash), sandboxed runs with their stats, and the tools {@code skills.read}
 * and {@code skills.run}, which go through the action gate like any tool; and "Automate this?" ({@code SkillOffers}):
 * skills drafted from a user's repeated successful tasks, offered as an approval of {@code skills.install_draft}.
 * May depend on actions, router, memory, store, config and support; {@code actions} does not know it.
 */
package dev.steward.skills;
