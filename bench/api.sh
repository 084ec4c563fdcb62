#!/usr/bin/env bash
# Steward's own API under load from a second process (wrk): POST /api/chat with the offline model and memory
# retrieval on (every request runs a whole task: task row, events, memory context, episode), against GET /health as
# the ceiling of the HTTP stack itself and GET /api/auth/me (key check, rate limiter, store thread, JSON) as the
# server's own cost per API request; then a soak of /api/chat that samples the server's resident memory.
# Usage: bench/api.sh [seconds per run, default 15] [soak seconds, default 300]
# Environment: API_JAVA_OPTS (JVM options for steward serve; default the ones docs/benchmarks.md recommends),
# WARMUP_SECONDS (default 30), API_PORT (default 18701), CONNECTIONS (default "1 32 64").
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
SECONDS_PER_RUN=${1:-15}
SOAK_SECONDS=${2:-300}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
API_JAVA_OPTS=${API_JAVA_OPTS:--XX:+UseParallelGC -Xmn64m}
API_PORT=${API_PORT:-18701}
CONNECTIONS=${CONNECTIONS:-1 32 64}
command -v wrk >/dev/null || { echo "bench: wrk is missing: sudo apt-get install -y wrk" >&2; exit 2; }

work=$(mktemp -d)
cleanup() {
  [ -n "${steward_pid:-}" ] && kill "$steward_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

./mvnw -q -B -DskipTests package >&2
export STEWARD_HOME="$work/home"
mkdir -p "$STEWARD_HOME"
printf 'routing:\n  mode: offline\n' > "$STEWARD_HOME/steward.yaml"
read -r -a java_opts <<<"$API_JAVA_OPTS"
steward() { "$JAVA" -jar target/steward.jar "$@"; }
steward users add bench --role standard >/dev/null 2>&1
KEY=$(steward keys create --user bench 2>/dev/null)

# Rate limits off: one key sends all the load, and the point is the cost of a request, not the limiter's refusals.
"$JAVA" "${java_opts[@]}" -jar target/steward.jar serve --port "$API_PORT" --user-rate-limit 0 --key-rate-limit 0 \
  2>"$work/serve.log" &
steward_pid=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null && break
  sleep 0.2
done
base="http://127.0.0.1:$API_PORT"
# Something to retrieve: every chat assembles its memory context from these.
for fact in "remember that our project is called Lighthouse" "remember that I prefer short answers" \
            "remember that Alice is our CFO" "remember that we use PostgreSQL in production"; do
  curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"text\": \"$fact\"}" "$base/api/memory" >/dev/null
done

cat > "$work/chat.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = '{"message": "what is the status of the Lighthouse project?"}'
LUA
cat > "$work/health.lua" <<'LUA'
wrk.method = "GET"
LUA
cat > "$work/me.lua" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA

run() { # name path script connections duration
  local out rps p50 p99 errors threads
  threads=$([ "$4" -eq 1 ] && echo 1 || echo 2)
  out=$(wrk -t"$threads" -c"$4" -d"$5s" --latency -s "$work/$3" "$base$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  printf '%-10s %4s conns  %10s req/s  p50 %-9s p99 %-9s %s\n' "$1" "$4" "$rps" "$p50" "$p99" "${errors:-no errors}"
}
rss_mb() { echo $(( $(ps -o rss= -p "$steward_pid") / 1024 )); }

wrk -t2 -c32 -d"${WARMUP_SECONDS}s" -s "$work/chat.lua" "$base/api/chat" >/dev/null
echo "wrk, ${SECONDS_PER_RUN}s per run, steward serve ($API_JAVA_OPTS), offline model, memory retrieval on"
echo "before: $(uptime)"
for c in $CONNECTIONS; do
  run health /health health.lua "$c" "$SECONDS_PER_RUN"
  run api/me /api/auth/me me.lua "$c" "$SECONDS_PER_RUN"
  run api/chat /api/chat chat.lua "$c" "$SECONDS_PER_RUN"
done
echo "after:  $(uptime)"

echo "soak: /api/chat at 32 connections for ${SOAK_SECONDS}s; resident memory (MB) every 10 s:"
wrk -t2 -c32 -d"${SOAK_SECONDS}s" --latency -s "$work/chat.lua" "$base/api/chat" >"$work/soak.txt" &
wrk_pid=$!
samples=()
while kill -0 "$wrk_pid" 2>/dev/null; do
  samples+=("$(rss_mb)")
  sleep 10
done
wait "$wrk_pid"
echo "  ${samples[*]}"
printf '  first %s MB, last %s MB, min %s MB, max %s MB\n' "${samples[0]}" "${samples[-1]}" \
  "$(printf '%s\n' "${samples[@]}" | sort -n | head -1)" "$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)"
awk '/Requests\/sec/ {print "  soak: " $2 " req/s"} $1=="99%" {print "  soak p99: " $2}' "$work/soak.txt"
echo "model calls recorded: $(curl -sf -H "Authorization: Bearer $KEY" "$base/api/stats?days=1" | sed -E 's/.*"calls":([0-9]+).*/\1/')"
echo "done:   $(uptime)"
