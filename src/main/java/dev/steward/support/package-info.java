/**
 * Small helpers every part may use: JSON, ids, text (abbreviation, closest name), the wording of errors, the
 * privacy filter, usage errors and the version. Knows no part of Steward.
 */
package dev.steward.support;
