package dev.steward.research;

/** A page that was read: its number in the report's Sources list, title, URL and the text it held when read. */
public record Source(int n, String title, String url, String text) {}
