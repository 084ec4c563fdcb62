package dev.steward.app;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --limit} and {@code --json} for commands that list the newest rows of something. */
final class ListingOptions {
    @Option(names = "--limit", defaultValue = "50", description = "How many to show (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    JsonOption output;

    /** The limit, checked: a usage error for a number below 1. */
    int most() {
        return CommandGroup.limit(limit);
    }

    boolean json() {
        return output.json;
    }
}
