/**
 * A CalDAV calendar collection over HTTP (OkHttp), its events read and written as iCalendar with ical4j:
 * {@code calendar.list}, {@code calendar.create} (taken back by deleting it), {@code calendar.update} and
 * {@code calendar.delete} (approval by default). Uses actions (the tool SPI), config, support and integrations.common.
 */
package dev.steward.integrations.calendar;
