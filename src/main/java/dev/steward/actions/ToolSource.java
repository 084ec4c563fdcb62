package dev.steward.actions;

import java.util.List;

/**
 * Tools that live elsewhere, such as those of an external MCP server: named {@code NAME.tool}, fetched on first use.
 * A source that cannot be reached has no tools and says why; the other tools are not affected.
 */
public interface ToolSource extends AutoCloseable {
    /** The prefix of its tools' names. */
    String name();

    /** Its tools, connecting first if it has not yet; empty while it is unavailable. */
    List<Tool> tools();

    /** Why it has no tools right now (it would not start, it stopped, it timed out), or null when it is fine. */
    String unavailable();

    @Override
    void close();
}
