/**
 * The agent runtime: a task is planned by a Manager, carried out step by step by an Employee through the
 * action gate and checked by a Supervisor; tasks, their events and checkpoints are stored so that a run can wait
 * for an answer or an approval and survive a restart. May depend on router, actions, memory, store, config and
 * support; the parts it uses never know it.
 */
package dev.steward.agent;
