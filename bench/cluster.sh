#!/usr/bin/env bash
# Scale-out under load from a second process: a throwaway PostgreSQL (initdb in a temporary folder, as TestPostgres
# does), one and then two `steward serve` nodes on it, and wrk load split evenly over the nodes — one wrk per node
# with half the connections each, the connection-level round-robin of a load balancer with keep-alive (with one node
# both wrk processes send to it, so the client side is the same in both cases).
#  1. throughput and p99 of POST /api/chat (offline model: every request runs a whole task — task row, events, memory
#     context, episode — in PostgreSQL) and of GET /api/auth/me (a fixed-cost request: key check, JSON), one node vs two;
#  2. the budget invariant: a priced model (a fake OpenAI upstream on loopback, a fixed cost per call), a per-user
#     budget set low with on_exceeded: refuse, concurrent /api/chat on both nodes; then the spend read from the
#     database must be at most the limit plus one call's maximum.
# Usage: bench/cluster.sh [seconds per run, default 15]
# Environment: CONNECTIONS (total, default 32), WARMUP_SECONDS (default 20), CLUSTER_JAVA_OPTS (JVM options for each
# node, default the launchers' serve options: SERVE_JAVA_OPTS in bench/common.sh), BASE_PORT (default 18720:
# PostgreSQL; the nodes, the upstream above it),
# BUDGET_DOLLARS (the per-user daily limit, default 0.05), JAR (default target/steward.jar, built first unless given).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
CLUSTER_JAVA_OPTS=${CLUSTER_JAVA_OPTS:-$SERVE_JAVA_OPTS}
BASE_PORT=${BASE_PORT:-18720}
PG_PORT=$BASE_PORT
UPSTREAM_PORT=$((BASE_PORT + 9))
command -v wrk >/dev/null || { echo "bench: wrk is missing: sudo apt-get install -y wrk" >&2; exit 2; }
command -v psql >/dev/null || { echo "bench: psql is missing: sudo apt-get install -y postgresql" >&2; exit 2; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "bench: the PostgreSQL server is missing: sudo apt-get install -y postgresql" >&2; exit 2; }

work=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then # PostgreSQL refuses to run as root
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
node_pids=()
cleanup() {
  for pid in "${node_pids[@]}" ${upstream_pid:-}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${JAR:-}" ]; then
  nice ./mvnw -q -B -DskipTests package >&2
  JAR=target/steward.jar
fi

# The throwaway PostgreSQL: the distribution's defaults but for the durability settings a test server can drop
# (fsync, synchronous_commit, full_page_writes off: these runs measure Steward, not the disk).
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U steward --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
cat > "$work/pg/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$work'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 start >/dev/null
sql() { psql -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U steward -d "${2:-steward}" -c "$1"; }
sql "CREATE DATABASE steward" postgres

read -r -a java_opts <<<"$CLUSTER_JAVA_OPTS"
configure() { # home, extra yaml
  mkdir -p "$1"
  printf 'database:\n  url: "jdbc:postgresql://127.0.0.1:%s/steward"\n  user: steward\n  password: ""\n%s' \
    "$PG_PORT" "$2" > "$1/steward.yaml"
}
start_node() { # n: node n serves on BASE_PORT + n from its own home (its own search index)
  local home="$work/node$1" port=$((BASE_PORT + $1))
  # Rate limits off: one key sends all the load; the point is the cost of a request, not the limiter's refusals.
  STEWARD_HOME="$home" "$JAVA" "${java_opts[@]}" -jar "$JAR" serve --port "$port" --user-rate-limit 0 \
    --key-rate-limit 0 2>"$work/node$1.log" &
  node_pids+=($!)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0
    sleep 0.2
  done
  echo "bench: node $1 did not start; its log:" >&2
  tail -20 "$work/node$1.log" >&2
  exit 1
}
stop_nodes() { # SIGTERM: each node drains and flushes its model-call records
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node_pids=()
}

offline=$'routing:\n  mode: offline\n'
configure "$work/node1" "$offline"
configure "$work/node2" "$offline"
export STEWARD_HOME="$work/node1"
"$JAVA" -jar "$JAR" users add bench --role standard >/dev/null 2>&1
KEY=$("$JAVA" -jar "$JAR" keys create --user bench 2>/dev/null)
unset STEWARD_HOME

start_node 1
seed_facts "http://127.0.0.1:$((BASE_PORT + 1))" "$KEY"
chat_script "$work/chat.lua" "$KEY"
cat > "$work/me.lua" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA

millis() { # wrk's 950.00us / 1.23ms / 1.50s -> milliseconds
  awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) f = 0.001; else if (t ~ /ms$/) f = 1; else if (t ~ /s$/) f = 1000; printf "%.1f", v * f }'
}
# Two wrk processes, half the connections each, one to each of the given node ports (the same port twice for one
# node); the throughput is their sum, p99 the worse of the two (wrk cannot merge two histograms).
split_load() { # name path script seconds port-a port-b
  local half=$((CONNECTIONS / 2))
  # A 30 s timeout: on a busy machine a chat may take seconds, and wrk's default (2 s) would drop it from the figures.
  wrk -t1 -c"$half" -d"$4s" --timeout 30s --latency -s "$work/$3" "http://127.0.0.1:$5$2" >"$work/a.txt" &
  local a=$!
  wrk -t1 -c"$half" -d"$4s" --timeout 30s --latency -s "$work/$3" "http://127.0.0.1:$6$2" >"$work/b.txt" &
  local b=$!
  wait "$a" "$b"
  local rps p99a p99b errors
  rps=$(awk '/Requests\/sec/ {s += $2} END {printf "%.1f", s}' "$work/a.txt" "$work/b.txt")
  p99a=$(millis "$(awk '$1=="99%" {print $2}' "$work/a.txt")")
  p99b=$(millis "$(awk '$1=="99%" {print $2}' "$work/b.txt")")
  errors=$(cat "$work/a.txt" "$work/b.txt" | grep -E 'Non-2xx|Socket errors' | tr '\n' ' ' || true)
  printf '%-9s %3s conns  %9s req/s  p99 %8s ms (per wrk: %s / %s)  %s\n' "$1" "$CONNECTIONS" "$rps" \
    "$(awk -v a="$p99a" -v b="$p99b" 'BEGIN { print (a > b ? a : b) }')" "$p99a" "$p99b" "${errors:-no errors}"
}
node1=$((BASE_PORT + 1))
node2=$((BASE_PORT + 2))

echo "wrk, ${SECONDS_PER_RUN}s per run, $CONNECTIONS connections in all, steward serve ($CLUSTER_JAVA_OPTS) on PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), offline model, memory retrieval on; $(nproc) cores"
split_load warmup /api/chat chat.lua "$WARMUP_SECONDS" "$node1" "$node1" >/dev/null
echo "one node   (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
split_load api/me /api/auth/me me.lua "$SECONDS_PER_RUN" "$node1" "$node1"
split_load api/chat /api/chat chat.lua "$SECONDS_PER_RUN" "$node1" "$node1"
start_node 2
split_load warmup /api/chat chat.lua "$WARMUP_SECONDS" "$node1" "$node2" >/dev/null
echo "two nodes  (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
split_load api/me /api/auth/me me.lua "$SECONDS_PER_RUN" "$node1" "$node2"
split_load api/chat /api/chat chat.lua "$SECONDS_PER_RUN" "$node1" "$node2"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_nodes

# The budget invariant. The upstream bills as a real one does: the prompt's tokens (4 characters a token) and 900
# completion tokens, never more than the request's max_tokens; at $10 per million each (about $0.02 for a chat's call).
cat > "$work/upstream.py" <<'PY'
import json, sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
ANSWER = ({"id": "chatcmpl-bench", "object": "chat.completion", "created": 1700000000, "model": "priced",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Milestone status: on track."},
                 "finish_reason": "stop"}],
    })
MODELS = json.dumps({"object": "list", "data": [{"id": "priced", "object": "model"}]}).encode()
class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.answer(MODELS)
    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        prompt = max(1, sum(len(str(m.get("content") or "")) for m in request.get("messages", [])) // 4)
        completion = min(900, request.get("max_tokens") or request.get("max_completion_tokens") or 900)
        answer = dict(ANSWER, usage={"prompt_tokens": prompt, "completion_tokens": completion,
                                     "total_tokens": prompt + completion})
        self.answer(json.dumps(answer).encode())
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Upstream).serve_forever()
PY
python3 "$work/upstream.py" "$UPSTREAM_PORT" &
upstream_pid=$!
limit_dollars=${BUDGET_DOLLARS:-0.05}
priced=$(cat <<YAML
providers:
  - name: upstream
    kind: openai
    base_url: http://127.0.0.1:$UPSTREAM_PORT/v1
    models:
      - name: priced
        tier: cloud
        input_price_per_million: 10
        output_price_per_million: 10
budgets:
  on_exceeded: refuse
  per_user: { daily: $limit_dollars }
YAML
)
configure "$work/node1" "$priced"$'\n'
configure "$work/node2" "$priced"$'\n'
start_node 1
start_node 2
echo "budget: per_user daily \$$limit_dollars, on_exceeded refuse, a priced model at about \$0.01 a call; /api/chat on both nodes"
split_load budget /api/chat chat.lua 20 "$node1" "$node2"
stop_nodes
limit_micros=$(awk -v d="$limit_dollars" 'BEGIN { printf "%d", d * 1000000 }')
read -r spent calls max_call < <(sql "SELECT COALESCE(SUM(m.cost_micros), 0), COUNT(*), COALESCE(MAX(m.cost_micros), 0)
  FROM model_calls m JOIN users u ON u.id = m.user_id WHERE u.name = 'bench' AND m.cost_micros > 0" | tr '|' ' ')
echo "  priced calls recorded: $calls; spent $spent µ\$ of a $limit_micros µ\$ limit (one call: $max_call µ\$)"
echo "  ledger: $(sql "SELECT window_key || ' spent ' || spent_micros || ' reserved ' || reserved_micros FROM budget_ledger" | tr '\n' ';')"
if [ "$spent" -le $((limit_micros + max_call)) ]; then
  echo "  invariant holds: spent <= limit + one call's maximum"
else
  echo "  node logs: $(grep -h -i -m3 budget "$work"/node*.log | tr '\n' ' ')" >&2
  echo "  INVARIANT BROKEN: spent $spent > limit $limit_micros + one call $max_call" >&2
  exit 1
fi
