/**
 * The browser tools (browser.open, extract, fill, click, select, submit_form, screenshot): Debian's Chromium driven
 * by Playwright, started on first use, one isolated context per task. Every page and every request a page makes is
 * checked against {@code browser.allowed_domains}/{@code blocked_domains} and the private-address rules of
 * http.fetch; page text is untrusted data. Tools of the actions SPI, called only through the gate; may depend on
 * actions, config and support.
 */
package dev.steward.integrations.browser;
