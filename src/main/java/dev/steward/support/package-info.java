/**
 * Small helpers every part may use: JSON, ids, text (abbreviation, closest name), the wording of errors, the
 * privacy filter, usage errors, the version, and the face of the rate-limit buckets several nodes share. Knows no
 * part of Steward.
 */
package dev.steward.support;
