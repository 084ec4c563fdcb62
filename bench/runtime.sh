#!/usr/bin/env bash
# The agent runtime: its own cost per task in-process (JMH; a task is two steps), then N concurrent tasks with a
# model that takes 50 ms per call. Usage: bench/runtime.sh [JMH options, e.g. -f 1 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CP="$(bench_classpath)"
"$JAVA" -cp "$CP" org.openjdk.jmh.Main 'dev.steward.bench.RuntimeBenchmark' -rf json -rff target/jmh-runtime.json "$@"
"$JAVA" -Xmx1g -cp "$CP" dev.steward.bench.RuntimeLoad "${TASKS:-1000}" "${MODEL_MS:-50}"
