package dev.steward.skills;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One tool call a finished task made, as its events recorded it: what a routine is made of. Only the call is kept,
 * never its result: what a tool returned is data, and a skill drafted from it must not carry its words.
 *
 * @param ok             whether the call succeeded
 * @param afterUntrusted whether untrusted content (a web page, a mail, a file a tool read) had entered the task before
 *                       this call, so that its arguments may have been chosen by that content
 */
public record RecordedCall(String tool, JsonNode arguments, boolean ok, boolean afterUntrusted) {}
