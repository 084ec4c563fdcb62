package dev.steward.support;

/** Small text helpers shared by the command line, the agent and memory. */
public final class Text {
    private Text() {}

    /** The text itself if it has at most {@code max} characters, else its first {@code max - 1} and an ellipsis. */
    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
