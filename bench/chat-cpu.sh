#!/usr/bin/env bash
# The server's CPU per /api/chat over a fixed number of chats, for one or several builds in turn: a measure that a
# busy machine disturbs far less than req/s (every chat is counted, none is lost to a client timeout). Each chat
# has a different message and runs memory retrieval (30 facts stored, as bench/api.sh). Per build and round:
# CPU ms per chat during the chats, and with the work they left behind (the background episode embedding) done too:
# until the index holds no memory waiting for its vector (the embedder rests while searches run, so a quiet second
# alone does not say it is done).
# Usage: bench/chat-cpu.sh [chats, default 300] [concurrency, default 16]
# Environment: JARS (space-separated jars, default target/steward.jar), ROUNDS (default 2: the builds alternate),
# WARMUP_CHATS (default 150), API_JAVA_OPTS, API_PORT (default 18702), JFR=PREFIX (a recording of the measured chats
# per build and round, PREFIX-N-R.jfr), ASYNC_PROFILER (path to libasyncProfiler.so) with PROFILE_DIR (collapsed CPU
# stacks of the measured chats and their catch-up, per build and round: PROFILE_DIR/chat-N-R.collapsed).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
CHATS=${1:-300}
CONCURRENCY=${2:-16}
JARS=${JARS:-target/steward.jar}
ROUNDS=${ROUNDS:-2}
WARMUP_CHATS=${WARMUP_CHATS:-150}
API_JAVA_OPTS=${API_JAVA_OPTS:-$SERVE_JAVA_OPTS}
API_PORT=${API_PORT:-18702}
base="http://127.0.0.1:$API_PORT"
read -r -a java_opts <<<"$API_JAVA_OPTS"

scratch_for_server

cpu_ticks() { awk '{print $14 + $15}' "/proc/$steward_pid/stat"; }
until_idle() { # at most 120 s, until the server used under 3 % of a core for a second
  local before now
  for _ in $(seq 1 120); do
    before=$(cpu_ticks); sleep 1; now=$(cpu_ticks)
    [ $((now - before)) -lt 3 ] && return
  done
}
until_embedded() { # at most 300 s, until the memory index holds no memory waiting for its vector, then idle
  for _ in $(seq 1 150); do
    [ "$("$JAVA" -cp "$jar" bench/IndexPending.java "$STEWARD_HOME/index/e5-small-v2" 2>/dev/null)" = 0 ] && break
    sleep 2
  done
  until_idle
}
profiler() { # start | stop FILE: async-profiler attached to the running server, when asked for
  [ -n "${ASYNC_PROFILER:-}" ] && [ -n "${PROFILE_DIR:-}" ] || return 0
  local options=$([ "$1" = start ] && echo "start,event=cpu,interval=1ms,threads" || echo "stop,file=$2,collapsed")
  "$(dirname "$JAVA")/jcmd" "$steward_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"$options\"" >/dev/null
}
chats() { # count offset: distinct messages, CONCURRENCY at a time; prints how many failed
  seq "$2" $(($2 + $1 - 1)) | xargs -P "$CONCURRENCY" -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"message": "what is the status of milestone {} of Harbor for team '"$RANDOM"'?"}' "$base/api/chat" \
    | grep -vc '^200$' || true
}

for round in $(seq 1 "$ROUNDS"); do
  n=0
  for jar in $JARS; do
    n=$((n + 1))
    export STEWARD_HOME="$work/home-$n-$round"
    mkdir -p "$STEWARD_HOME"
    printf 'routing:\n  mode: offline\n' > "$STEWARD_HOME/steward.yaml"
    "$JAVA" -jar "$jar" users add bench --role standard >/dev/null 2>&1
    KEY=$("$JAVA" -jar "$jar" keys create --user bench 2>/dev/null)
    "$JAVA" "${java_opts[@]}" -jar "$jar" serve --port "$API_PORT" --user-rate-limit 0 --key-rate-limit 0 \
      2>"$work/serve.log" &
    steward_pid=$!
    for _ in $(seq 1 150); do curl -sf "$base/health" >/dev/null && break; sleep 0.2; done
    seed_facts "$base" "$KEY"
    chats "$WARMUP_CHATS" 1000000 >/dev/null
    until_embedded # so that no warm-up episode is embedded in the measured time
    [ -n "${JFR:-}" ] && jcmd "$steward_pid" JFR.start settings=profile filename="$JFR-$n-$round.jfr" >/dev/null
    profiler start
    ticks=$(cpu_ticks)
    started=$(date +%s.%N)
    failed=$(chats "$CHATS" 1)
    elapsed=$(echo "$(date +%s.%N) - $started" | bc)
    during=$(( ($(cpu_ticks) - ticks) * 10 / CHATS ))
    until_embedded
    total=$(( ($(cpu_ticks) - ticks) * 10 / CHATS ))
    [ -n "${PROFILE_DIR:-}" ] && mkdir -p "$PROFILE_DIR" && profiler stop "$PROFILE_DIR/chat-$n-$round.collapsed"
    [ -n "${JFR:-}" ] && jcmd "$steward_pid" JFR.stop >/dev/null
    printf '%s round %d: %d chats at %d at a time, %d failed, %.1f chats/s; CPU per chat %d ms, %d ms with catch-up (%s)\n' \
      "$jar" "$round" "$CHATS" "$CONCURRENCY" "$failed" "$(echo "$CHATS / $elapsed" | bc -l)" "$during" "$total" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
    kill "$steward_pid"; wait "$steward_pid" 2>/dev/null || true
    steward_pid=
  done
done
