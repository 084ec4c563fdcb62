# Shared by the bench scripts: find a JDK >= 21 and build the test classpath once.
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && grep -qE 'JAVA_VERSION="(2[1-9]|[3-9][0-9])' "$candidate/release" 2>/dev/null; then
      JAVA="$candidate/bin/java"; export JAVA_HOME="$candidate"; break
    fi
  done
fi
[ -n "$JAVA" ] || { echo "bench: no JDK 21 or newer found; set JAVA_HOME" >&2; exit 2; }

# The JVM options the launchers give `steward serve` (./steward, src/dist/steward): the benches run the jar directly,
# so that JAR= can name another build, and must run it as users do.
SERVE_JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m -Xmn64m -XX:+AlwaysPreTouch --add-modules jdk.incubator.vector"

bench_classpath() {
  ./mvnw -q -B -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
  echo "target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}

# Something to retrieve: every chat assembles its memory context from these 30 facts.
# Usage: seed_facts BASE_URL KEY
seed_facts() {
  local topics=(Lighthouse Harbor Beacon Compass Anchor Meridian) i fact
  for i in $(seq 1 30); do
    fact="remember that project ${topics[$((i % 6))]} milestone $i is owned by person$i and due in week $((i + 10))"
    curl -sf -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
      -d "{\"text\": \"$fact\"}" "$1/api/memory" >/dev/null
  done
}

# A wrk script that sends every chat a different message (a query embedding cannot be reused), as users send them.
# Usage: chat_script FILE KEY
chat_script() {
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
local topics = {"Lighthouse", "Harbor", "Beacon", "Compass", "Anchor", "Meridian"}
local n = 0
local me = tostring(math.random(1, 1000000000))
request = function()
  n = n + 1
  local body = '{"message": "what is the status of milestone ' .. n .. ' of ' .. topics[n % 6 + 1]
      .. ' for team ' .. me .. '?"}'
  return wrk.format(nil, nil, nil, body)
end
LUA
}

# A scratch folder in $work, removed on exit once the server started into $steward_pid is stopped.
scratch_for_server() {
  work=$(mktemp -d)
  trap stop_server_and_scratch EXIT
}
stop_server_and_scratch() {
  [ -n "${steward_pid:-}" ] && kill "$steward_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
