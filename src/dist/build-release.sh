#!/usr/bin/env bash
# build-release.sh VERSION TARGET — the release archive (./mvnw -B package -Pdist runs it after the jar is built):
#
#   TARGET/steward-VERSION-linux-x64.tar.gz
#     steward-VERSION/bin/steward       the launcher (plain sh), which runs the bundled runtime
#     steward-VERSION/lib/steward.jar   the application
#     steward-VERSION/runtime/          a Java runtime made by jlink with only the modules the jar needs (jdeps
#                                       finds them; a few that libraries load by reflection are named below)
#
# Then it checks the archive: unpacked, `steward ask hello` must answer in an empty environment with no PATH at all,
# so with no Java to be found but the bundled one.
set -euo pipefail

version=$1
target=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=$target/steward.jar
[[ -f $jar ]] || { echo "build-release: $jar is missing; run ./mvnw -B package -Pdist" >&2; exit 1; }

# A JDK 21+ with jdeps and jlink: JAVA_HOME, else the newest in /usr/lib/jvm.
jdk=
for candidate in ${JAVA_HOME:+"$JAVA_HOME"} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
  candidate=${candidate%/}
  release=$candidate/release
  [[ -x $candidate/bin/jlink && -r $release ]] || continue
  feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  if [[ -n $feature ]] && ((feature >= 21)); then
    jdk=$candidate
    break
  fi
done
[[ -n $jdk ]] || { echo "build-release: no JDK 21 or newer with jlink found; set JAVA_HOME" >&2; exit 1; }

# Modules the classes use, as jdeps sees them, and those loaded by name or reflection: jdk.unsupported (Unsafe, for
# Lucene and others), jdk.management (the JVM's CPU and memory for /metrics), jdk.incubator.vector (the memory index's
# vector search, on for serve), jdk.crypto.ec (TLS to providers on a JDK 21 runtime), jdk.zipfs (files out of jars).
modules=$("$jdk/bin/jdeps" --multi-release 21 --ignore-missing-deps --print-module-deps "$jar")
modules=$(tr ',' '\n' <<<"$modules,jdk.unsupported,jdk.management,jdk.incubator.vector,jdk.crypto.ec,jdk.zipfs" \
  | sort -u | paste -sd, -)
echo "build-release: runtime modules: $modules"

name=steward-$version
stage=$target/dist/$name
rm -rf "$target/dist"
mkdir -p "$stage/bin" "$stage/lib"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-6 \
  --generate-cds-archive --output "$stage/runtime"
cp "$jar" "$stage/lib/steward.jar"
install -m 755 "$here/steward" "$stage/bin/steward"

# On a JDK 25+ runtime, an ahead-of-time cache (JEP 483/514) of what `ask` loads, made by the bundled runtime itself
# (a cache is valid only for the runtime that made it; the JVM accepts the jar moved with the archive): a run to create
# a home, then one recorded as users start, both in a throw-away home with an empty environment, so offline.
if ((feature >= 25)); then
  training=$target/dist-training
  rm -rf "$training"
  mkdir -p "$training"
  run=(env -i PATH=/nonexistent HOME="$training" STEWARD_HOME="$training/home" "$stage/runtime/bin/java"
    -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -Djdk.reflect.useNativeAccessorOnly=true
    -Djfr.unsupported.vm=true) # as bin/steward starts `ask`
  "${run[@]}" -jar "$stage/lib/steward.jar" ask hello >/dev/null 2>"$training/stderr" \
    && "${run[@]}" -XX:AOTCacheOutput="$stage/lib/steward.aot" -Xlog:aot*=off,cds*=off -jar "$stage/lib/steward.jar" \
      ask hello >/dev/null 2>>"$training/stderr" \
    || { echo "build-release: the ahead-of-time cache's training run failed:" >&2; cat "$training/stderr" >&2; exit 1; }
  rm -rf "$training"
fi
archive=$target/$name-linux-x64.tar.gz
tar -C "$target/dist" --owner=0 --group=0 -czf "$archive" "$name"

# The check: unpack it elsewhere and ask, with no environment and no PATH.
check=$target/dist-check
rm -rf "$check"
mkdir -p "$check/home"
tar -C "$check" -xzf "$archive"
answer=$(env -i PATH=/nonexistent HOME="$check" STEWARD_HOME="$check/home" "$check/$name/bin/steward" ask hello 2>"$check/stderr") || {
  echo "build-release: the unpacked archive failed to answer 'steward ask hello':" >&2
  cat "$check/stderr" >&2
  exit 1
}
[[ -n $answer ]] || { echo "build-release: 'steward ask hello' printed nothing" >&2; exit 1; }
echo "build-release: $archive ($(du -h "$archive" | cut -f1); runtime $(du -sh "$stage/runtime" | cut -f1))"
echo "build-release: with no Java on PATH, 'steward ask hello' answered: ${answer%%$'\n'*}"
rm -rf "$check"
