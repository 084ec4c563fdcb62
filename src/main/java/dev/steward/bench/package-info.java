/**
 * The project's own benchmarks and fits, behind {@code steward bench}: LoCoMo and synthetic memory retrieval,
 * the ranking-weight fit and the intent classifier's accuracy. Evaluation code only; no production part uses it.
 * May depend on agent, router, memory and support.
 */
package dev.steward.bench;
