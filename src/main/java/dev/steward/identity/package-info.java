/**
 * Who is calling: users, roles, API keys (stored hashed) and signed browser sessions. May depend on store,
 * config and support only.
 */
package dev.steward.identity;
