#!/usr/bin/env bash
# The gateway's overhead over HTTP: the same wrk load sent to a fake upstream directly and through
# `steward serve`, at 1 connection (latency) and at 32 and 128 connections (throughput).
# The upstream is nginx answering a fixed chat.completion; everything runs on loopback.
# Each Steward run also prints the server's CPU per proxied call (its /proc ticks over the run, divided by the calls):
# a figure that holds up on a shared machine where req/s does not.
# Usage: bench/gateway.sh [seconds per run, default 15]
# Environment: GATEWAY_JAVA_OPTS (JVM options for steward serve, default: the ones docs/benchmarks.md recommends),
# WARMUP_SECONDS (default 30), UPSTREAM_PORT, GATEWAY_PORT, CONNECTIONS (default "1 32 128"),
# JAR (a built steward.jar to run instead of building this tree, e.g. another commit's, for side-by-side runs),
# RATE_LIMIT (requests per minute for the user and for the key, default 1000000000: the limiter runs on every
# call but never refuses; 0 turns it off), ASYNC_PROFILER (path to libasyncProfiler.so, from Maven Central's
# tools.profiler:async-profiler linux-x64 jar) with PROFILE_DIR (collapsed CPU stacks of each Steward run go there),
# STRACE_DIR (strace -c -f on the server during each Steward run: its system calls per proxied call, by name, go
# there, and the total per call is printed; strace slows the server several times, so take req/s from a run without).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
SECONDS_PER_RUN=${1:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$SERVE_JAVA_OPTS}
UPSTREAM_PORT=${UPSTREAM_PORT:-18080}
GATEWAY_PORT=${GATEWAY_PORT:-18700}
CONNECTIONS=${CONNECTIONS:-1 32 128}
RATE_LIMIT=${RATE_LIMIT:-1000000000}
JAR=${JAR:-}
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: sudo apt-get install -y wrk nginx-light" >&2; exit 2; }
done

work=$(mktemp -d)
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${steward_pid:-}" ] && kill "$steward_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The fake upstream: an OpenAI-compatible answer, the same bytes every time.
answer='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":2,"total_tokens":16}}'
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    default_type application/json;
    location = /v1/models { return 200 '{"object":"list","data":[{"id":"bench-model","object":"model"}]}'; }
    location / { return 200 '$answer'; }
  }
}
CONF
nginx -c "$work/nginx.conf"

if [ -z "$JAR" ]; then
  ./mvnw -q -B -DskipTests package >&2
  JAR=target/steward.jar
fi
export STEWARD_HOME="$work/home"
mkdir -p "$STEWARD_HOME"
cat > "$STEWARD_HOME/steward.yaml" <<YAML
routing:
  mode: local
providers:
  - name: upstream
    kind: openai
    base_url: http://127.0.0.1:$UPSTREAM_PORT/v1
    models:
      - name: bench-model
        tier: local-fast
YAML
read -r -a java_opts <<<"$GATEWAY_JAVA_OPTS"
# Auth and rate limiting on (one key sends all the load, so the default limit would refuse most of it). A build from
# before API keys and rate limits (November's, for a side-by-side run) gets neither.
KEY=$("$JAVA" -jar "$JAR" keys create --user local 2>/dev/null || true)
limits=()
if "$JAVA" -jar "$JAR" serve --help 2>/dev/null | grep -q -- --user-rate-limit; then
  limits=(--user-rate-limit "$RATE_LIMIT" --key-rate-limit "$RATE_LIMIT")
fi
"$JAVA" "${java_opts[@]}" -jar "$JAR" serve --port "$GATEWAY_PORT" "${limits[@]}" 2>"$work/serve.log" &
steward_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$GATEWAY_PORT/health" >/dev/null && break
  sleep 0.2
done

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.body = '{"model":"steward/local","messages":[{"role":"user","content":"What is the capital of France?"}]}'
LUA

micros() { # wrk's 20.00us / 1.23ms / 1.50s -> microseconds
  awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) f = 1; else if (t ~ /ms$/) f = 1000; else if (t ~ /s$/) f = 1000000; printf "%.0f", v * f }'
}

ticks() { awk '{print $14 + $15}' "/proc/$steward_pid/stat"; }
# Voluntary context switches of all the server's threads: each is a thread that blocked and was woken, the hand-offs
# a call costs (threads that end during a run take theirs with them).
switches() { cat /proc/"$steward_pid"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {n += $2} END {print n}'; }
profiler() { # start | stop FILE: async-profiler attached to the running server, when asked for
  [ -n "${ASYNC_PROFILER:-}" ] && [ -n "${PROFILE_DIR:-}" ] || return 0
  local options=$([ "$1" = start ] && echo "start,event=cpu,interval=1ms" || echo "stop,file=$2,collapsed")
  "$(dirname "$JAVA")/jcmd" "$steward_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"$options\"" >/dev/null
}

tracer() { # start FILE | stop: strace counting the server's system calls, when asked for
  [ -n "${STRACE_DIR:-}" ] || return 0
  if [ "$1" = start ]; then
    strace -c -f -p "$steward_pid" -o "$2" 2>/dev/null & strace_pid=$!
    sleep 1 # attaching to every thread takes a moment
  else
    kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
  fi
}

syscalls_per_call() { # strace -c summary file, calls: the total count per call
  awk -v n="$2" '$NF == "total" { printf "  syscalls %.1f/call", $(NF-2) / n }' "$1"
}

run() { # name url connections threads; sets p50_us
  local out t0 t1 s0 s1 cpu="" trace="${STRACE_DIR:-.}/steward-$3conns.strace"
  [ "$1" = steward ] && { mkdir -p "${STRACE_DIR:-.}"; tracer start "$trace"; t0=$(ticks); s0=$(switches); profiler start; }
  out=$(wrk -t"$4" -c"$3" -d"${SECONDS_PER_RUN}s" --latency -s "$work/post.lua" "$2")
  if [ "$1" = steward ]; then
    t1=$(ticks)
    s1=$(switches)
    tracer stop
    mkdir -p "${PROFILE_DIR:-.}" && profiler stop "${PROFILE_DIR:-.}/steward-$3conns.collapsed"
    cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' <<<"$out")" \
      -v s0="$s0" -v s1="$s1" 'BEGIN { printf "  cpu %.0f us/call  switches %.1f/call", (b - a) * 1e6 / hz / n, (s1 - s0) / n }')
    [ -n "${STRACE_DIR:-}" ] && cpu="$cpu$(syscalls_per_call "$trace" "$(awk '/requests in/ {print $1}' <<<"$out")")"
  fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  p50_us=$(micros "$p50")
  printf '%-8s %4s conns  %10s req/s  p50 %-9s p99 %-9s %s%s\n' "$1" "$3" "$rps" "$p50" "$p99" "${errors:-no errors}" "$cpu"
}

# Warm up before measuring: C2 needs tens of seconds of load on two busy cores before the cost per call settles.
wrk -t2 -c32 -d"${WARMUP_SECONDS}s" -s "$work/post.lua" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >/dev/null
wrk -t1 -c1 -d5s -s "$work/post.lua" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >/dev/null
echo "wrk, ${SECONDS_PER_RUN}s per run; direct = nginx upstream; steward = through steward serve ($JAR, $GATEWAY_JAVA_OPTS, rate limit $RATE_LIMIT/min)"
echo "before: $(uptime)"
for c in $CONNECTIONS; do
  threads=$([ "$c" -eq 1 ] && echo 1 || echo 2)
  run direct "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" "$c" "$threads"
  direct_p50=$p50_us
  run steward "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" "$c" "$threads"
  echo "         added p50 at $c conns: $((p50_us - direct_p50)) us"
done
echo "after:  $(uptime)"
