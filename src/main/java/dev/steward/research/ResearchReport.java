package dev.steward.research;

import java.util.List;

/**
 * A finished report: the markdown as saved, where it was saved, its findings and sources, the sources that could
 * not be read (with why), and how many claims were removed because their quote was not in the source they cited.
 */
public record ResearchReport(String question, List<String> subQuestions, List<Finding> findings, List<Source> sources,
                             List<String> unread, int removed, boolean extractive, String markdown, String path) {}
