/**
 * Mail over IMAP and SMTP with Jakarta Mail (Eclipse Angus): {@code email.search}, {@code email.read},
 * {@code email.send} (external: approval by default, the card shows the whole message) and {@code email.draft}
 * (saved to the Drafts folder). Uses actions (the tool SPI), config, support and integrations.common.
 */
package dev.steward.integrations.email;
