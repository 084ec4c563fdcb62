/**
 * Reading steward.yaml and the {@code STEWARD_*} environment into immutable records, with errors that name the
 * line and the fix. Read before any part exists, so it depends on support only.
 */
package dev.steward.config;
