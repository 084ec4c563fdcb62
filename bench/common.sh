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

bench_classpath() {
  ./mvnw -q -B -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
  echo "target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}
