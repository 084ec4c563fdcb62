#!/usr/bin/env bash
# The router's own cost per call, in-process (JMH). Usage: bench/router.sh [JMH options, e.g. -f 1 -i 5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
"$JAVA" -cp "$(bench_classpath)" org.openjdk.jmh.Main 'dev.steward.bench.RouterBenchmark' \
  -rf json -rff target/jmh-router.json "$@"
