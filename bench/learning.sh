#!/usr/bin/env bash
# The learning loop before and after: a history where the model behind an alias fails summaries, analysed, the
# routing proposal approved, the same requests replayed, then rolled back. Usage: bench/learning.sh [REQUESTS] [SHARE]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CP="$(bench_classpath)"
"$JAVA" -cp "$CP" dev.steward.bench.LearningBench "${1:-100}" "${2:-0.6}"
