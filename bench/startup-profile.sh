#!/usr/bin/env bash
# Where a warm `steward ask hello` spends its CPU, per thread and per start-up part, from async-profiler (CPU samples
# every 1 ms; JFR is no use here: on JDK 25 a recording started with the JVM makes it drop the ahead-of-time cache).
# Usage: bench/startup-profile.sh [RUNS] [steward launcher, default ./steward]; STEWARD_HOME as the runs should see it.
# Run it once the launcher has made its ahead-of-time cache for this jar (target/aot.log says when): without one the
# launcher writes a class-data archive instead, which the JVM refuses to do beside a profiling agent.
# async-profiler comes from Maven Central (tools.profiler:async-profiler:4.2, linux-x64) through ./mvnw.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
launcher=${2:-./steward}
version=4.2
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar
[[ -f $jar ]] || ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version:jar:linux-x64
out=$(mktemp -d)
unzip -q -o "$jar" 'linux-x64/*' -d "$out"
files=()
for ((i = 1; i <= runs; i++)); do
  STEWARD_NO_BUILD=1 STEWARD_JAVA_OPTS="-agentpath:$out/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads,collapsed,file=$out/run$i.txt" \
    "$launcher" ask hello >/dev/null 2>&1
  files+=("$out/run$i.txt")
done
python3 bench/startup_shares.py "${files[@]}"
echo "(collapsed stacks kept in $out)"
