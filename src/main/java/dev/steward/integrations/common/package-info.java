/**
 * What the integration tools (email, calendar, documents, git, payments) share: a tool made of its spec and functions,
 * with the approval card's preview and the second-factor rule, and reading a call's arguments. Uses actions and support.
 */
package dev.steward.integrations.common;
