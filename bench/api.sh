#!/usr/bin/env bash
# Steward's own API under load from a second process (wrk): POST /api/chat with the offline model and memory
# retrieval on (every request runs a whole task: task row, events, memory context, episode), against GET /health as
# the ceiling of the HTTP stack itself and GET /api/auth/me (key check, rate limiter, store thread, JSON) as the
# server's own cost per API request; then a soak of /api/chat that samples the server's resident memory.
# Usage: bench/api.sh [seconds per run, default 15] [soak seconds, default 300]
# Environment: API_JAVA_OPTS (JVM options for steward serve; default the ones docs/benchmarks.md recommends),
# WARMUP_SECONDS (default 30), API_PORT (default 18701), CONNECTIONS (default "1 32 64"), SOAK_CONNECTIONS (default
# 16), NMT=1 (native memory tracking: a baseline at the soak's first minute and the difference at its end),
# JAR (default target/steward.jar, built first unless JAR is given), JFR=FILE (a 60 s flight recording, profile
# settings, from the soak's first minute on), HISTO=DIR (the live set — a class histogram, which collects fully first — and
# the heap's sizes and the resident size per mapping at the soak's first minute and at its end, into DIR), WRK_TIMEOUT (wrk's timeout per request, default 2s: longer on a loaded
# machine, where most chats at 32 connections would otherwise count as timeouts and not in the CPU per chat).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
SECONDS_PER_RUN=${1:-15}
SOAK_SECONDS=${2:-300}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-16}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
API_JAVA_OPTS=${API_JAVA_OPTS:-$SERVE_JAVA_OPTS}
API_PORT=${API_PORT:-18701}
CONNECTIONS=${CONNECTIONS:-1 32 64}
JCMD="$(dirname "$JAVA")/jcmd"
command -v wrk >/dev/null || { echo "bench: wrk is missing: sudo apt-get install -y wrk" >&2; exit 2; }

scratch_for_server

if [ -z "${JAR:-}" ]; then
  ./mvnw -q -B -DskipTests package >&2
  JAR=target/steward.jar
fi
[ "${NMT:-0}" = 1 ] && API_JAVA_OPTS="$API_JAVA_OPTS -XX:NativeMemoryTracking=summary"
export STEWARD_HOME="$work/home"
mkdir -p "$STEWARD_HOME"
printf 'routing:\n  mode: offline\n' > "$STEWARD_HOME/steward.yaml"
read -r -a java_opts <<<"$API_JAVA_OPTS"
steward() { "$JAVA" -jar "$JAR" "$@"; }
steward users add bench --role standard >/dev/null 2>&1
KEY=$(steward keys create --user bench 2>/dev/null)

# Rate limits off: one key sends all the load, and the point is the cost of a request, not the limiter's refusals.
"$JAVA" "${java_opts[@]}" -jar "$JAR" serve --port "$API_PORT" --user-rate-limit 0 --key-rate-limit 0 \
  2>"$work/serve.log" &
steward_pid=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null && break
  sleep 0.2
done
base="http://127.0.0.1:$API_PORT"
seed_facts "$base" "$KEY"
chat_script "$work/chat.lua" "$KEY"
cat > "$work/health.lua" <<'LUA'
wrk.method = "GET"
LUA
cat > "$work/me.lua" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA

cpu_ticks() { awk '{print $14 + $15}' "/proc/$steward_pid/stat"; } # the server's user + system CPU, 1/100 s
# Waits (at most 120 s) until the server is idle again — under 3 % of a core for a second — so that work it put off
# (the background embedding of each chat's episode) is counted with the requests that caused it.
until_idle() {
  local before now
  for _ in $(seq 1 120); do
    before=$(cpu_ticks); sleep 1; now=$(cpu_ticks)
    [ $((now - before)) -lt 3 ] && return
  done
}
run() { # name path script connections duration
  local out rps p50 p99 errors threads ticks requests cpu=""
  threads=$([ "$4" -eq 1 ] && echo 1 || echo 2)
  ticks=$(cpu_ticks)
  out=$(wrk -t"$threads" -c"$4" -d"$5s" --timeout "${WRK_TIMEOUT:-2s}" --latency -s "$work/$3" "$base$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  if [ "$1" = api/chat ]; then # server CPU per chat: during the run, and until the deferred work is done too
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu="cpu/chat $(( ($(cpu_ticks) - ticks) * 10 / (requests > 0 ? requests : 1) )) ms"
    until_idle
    cpu="$cpu, $(( ($(cpu_ticks) - ticks) * 10 / (requests > 0 ? requests : 1) )) ms with catch-up"
  fi
  printf '%-10s %4s conns  %10s req/s  p50 %-9s p99 %-9s %s %s\n' "$1" "$4" "$rps" "$p50" "$p99" "${errors:-no errors}" "$cpu"
}
live_set() { # FILE_PREFIX
  mkdir -p "$(dirname "$1")"
  "$JCMD" "$steward_pid" GC.heap_info >"$1.heap.txt"
  "$JCMD" "$steward_pid" GC.class_histogram | head -45 >"$1.histo.txt"
  "$JCMD" "$steward_pid" GC.heap_info >"$1.heap-after-gc.txt"
  resident_by_mapping >"$1.smaps.txt"
}
resident_by_mapping() { # resident MB per mapped file (Lucene's, the jar, libraries) and for anonymous memory
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = NF >= 6 ? $6 : "[anonymous]"; sub(/.*\//, "", name)
                               if (name ~ /^_[0-9a-z]+[._]/) { sub(/^[^.]*/, "Lucene *", name) } }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] >= 1024) printf "%8.1f MB  %s\n", rss[n] / 1024, n }' \
    "/proc/$steward_pid/smaps" | sort -rn
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

echo "soak: /api/chat at $SOAK_CONNECTIONS connections for ${SOAK_SECONDS}s; resident memory (MB) every 10 s:"
wrk -t2 -c"$SOAK_CONNECTIONS" -d"${SOAK_SECONDS}s" --latency -s "$work/chat.lua" "$base/api/chat" >"$work/soak.txt" &
wrk_pid=$!
[ -n "${JFR:-}" ] && "$JCMD" "$steward_pid" JFR.start duration=60s settings=profile filename="$JFR" >/dev/null
samples=()
at=()
started=$SECONDS
while kill -0 "$wrk_pid" 2>/dev/null; do
  samples+=("$(rss_mb)")
  at+=("$((SECONDS - started))")
  if [ "${NMT:-0}" = 1 ] && [ -z "${baselined:-}" ] && [ "${at[-1]}" -ge 60 ]; then
    "$JCMD" "$steward_pid" VM.native_memory baseline >/dev/null
    baselined=1
  fi
  if [ -n "${HISTO:-}" ] && [ -z "${histo_taken:-}" ] && [ "${at[-1]}" -ge 60 ]; then
    live_set "$HISTO/minute1"
    histo_taken=1
  fi
  sleep $(( 10 - (SECONDS - started) % 10 ))
done
[ -n "${HISTO:-}" ] && live_set "$HISTO/end"
wait "$wrk_pid"
echo "  ${samples[*]}"
printf '  first %s MB, last %s MB, min %s MB, max %s MB\n' "${samples[0]}" "${samples[-1]}" \
  "$(printf '%s\n' "${samples[@]}" | sort -n | head -1)" "$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)"
m1=; m4=
for i in "${!samples[@]}"; do # the first samples at or after 60 s and 240 s (the sampling drifts on a busy machine)
  [ -z "$m1" ] && [ "${at[$i]}" -ge 60 ] && m1=${samples[$i]}
  [ -z "$m4" ] && [ "${at[$i]}" -ge 240 ] && m4=${samples[$i]}
done
m4=${m4:-${samples[-1]}}
[ -n "$m1" ] && awk -v a="$m1" -v b="$m4" -v t="${at[-1]}" \
  'BEGIN { printf "  minute 1: %d MB, minute 4 (or the last sample, at %d s): %d MB, growth %+.1f %%\n", a, t, b, 100 * (b - a) / a }'
if [ "${NMT:-0}" = 1 ]; then
  echo "  native memory since minute 1 (jcmd VM.native_memory summary.diff):"
  "$JCMD" "$steward_pid" VM.native_memory summary.diff | grep -E '^(Total|-)' | sed 's/^/    /'
fi
awk '/Requests\/sec/ {print "  soak: " $2 " req/s"} $1=="99%" {print "  soak p99: " $2}' "$work/soak.txt"
echo "model calls recorded: $(curl -sf -H "Authorization: Bearer $KEY" "$base/api/stats?days=1" | sed -E 's/.*"calls":([0-9]+).*/\1/')"
echo "done:   $(uptime)"
