/**
 * The command line and the wiring: {@code Steward} builds every part once from the configuration, and each
 * {@code steward …} command is a picocli class here that asks it for the parts it needs. Nothing below knows
 * this package; it may use every part.
 */
package dev.steward.app;
