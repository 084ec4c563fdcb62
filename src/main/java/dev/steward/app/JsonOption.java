package dev.steward.app;

import picocli.CommandLine.Option;

/** {@code --json} for commands whose JSON is simply what they print, as JSON. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
}
