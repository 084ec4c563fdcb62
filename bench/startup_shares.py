"""Shares of a start-up profile (async-profiler collapsed stacks, with threads): per thread, then per part of start-up
for the main thread and the preload's threads. A sample belongs to the innermost part its stack passes through."""
import collections
import re
import sys

PARTS = [
    ("reading the configuration", "ConfigLoader.load"),
    ("opening the database", "Database.open"),
    ("opening the memory index", "MemoryIndex.open"),
    ("the connection pool's proxy classes, made ahead", "Database.prepareFirstUse"),
    ("the configured models (catalog)", "ModelCatalog.get"),
    ("building the router", "router/Router.<init>"),
    ("the action gate (tools, secrets)", "Steward.openGate"),
    ("the task itself", "TaskRunner.run"),
    ("the task itself", "TaskRunOptions.runHere"),
    ("closing", "Steward.close"),
    ("ask's own checks", "AskCommand.call"),
    ("picocli (model and parsing)", "picocli/CommandLine.execute"),
    ("picocli (model and parsing)", "CommandTree.of"),
    ("rest of Main", "Main.main"),
]

# The main thread, and the preload's two (StewardPreload: the database's, and the memory index's beside it).
THREADS = ("[main]", "[steward-preload]", "[steward-preload-index]")
threads = collections.Counter()
parts = collections.defaultdict(collections.Counter)
for path in sys.argv[1:]:
    for line in open(path):
        stack, count = line.rstrip().rsplit(" ", 1)
        frames = stack.split(";")
        thread = re.sub(r"\d+", "#", re.sub(r" tid=\d+\]", "]", frames[0]))
        threads[thread] += int(count)
        if thread in THREADS:
            part = next((name for frame in reversed(frames[1:]) for name, mark in PARTS
                         if frame.endswith(mark)), "outside those (JVM start, class initialisation)")
            parts[thread][part] += int(count)
total = sum(threads.values())
print(f"{total} samples of 1 ms CPU in {len(sys.argv) - 1} runs")
for thread, count in threads.most_common(8):
    print(f"  {thread:40s} {count:6d} {100 * count / total:5.1f} %")
for thread in THREADS:
    own = sum(parts[thread].values())
    if own:
        print(f"{thread}: {own} samples")
        for part, count in parts[thread].most_common():
            print(f"  {part:48s} {count:6d} {100 * count / own:5.1f} %")
