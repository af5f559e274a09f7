#!/usr/bin/env bash
# Key issuance on a fresh standalone with and without a JDK 25 AOT cache (JEP 483 class loading
# and linking, JEP 515 method profiles, JEP 514 one-step -XX:AOTCacheOutput).
#
# 1. Extracts the standalone jar (`-Djarmode=tools extract`): an AOT cache holds classes loaded
#    from plain jars on the class path, not from the nested jars of a Spring Boot fat jar.
# 2. Training: starts the extracted standalone with -XX:AOTCacheOutput, issues keys for
#    TRAIN_RUNS x 20 s (default 3), stops it with SIGTERM; the JVM writes the cache as it exits.
# 3. Starts a fresh standalone (new data dir) without the cache, then one with
#    -XX:AOTCache, and runs RUNS x 20 s of issuance on each (default 4, 8 connections, no extra
#    warm-up), printing the time to "ready", each run's RESULT line and `jstat -compiler` after.
#
# Usage: bench/aot-cache.sh            (about 7 minutes on 2 cores; WORK=dir keeps the cache)
# Needs wrk, jq, curl (Debian packages) and the built standalone jar.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
RUNS="${RUNS:-4}"
TRAIN_RUNS="${TRAIN_RUNS:-3}"
for n in "$RUNS" "$TRAIN_RUNS"; do
  case "$n" in ''|*[!0-9]*|0) echo "RUNS and TRAIN_RUNS must be positive integers, got '$n'" >&2; exit 2 ;; esac
done
WORK="${WORK:-$(mktemp -d /tmp/keyledger-aot.XXXXXX)}"
FAT_JAR="standalone/target/keyledger-standalone.jar"
[ -f "$FAT_JAR" ] || ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true install >/dev/null
trap standalone_stop EXIT

rm -rf "$WORK/app" "$WORK/app.aot"
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$FAT_JAR" extract --destination "$WORK/app" >/dev/null
STANDALONE_JAR="$WORK/app/keyledger-standalone.jar"

# issue N -> N consecutive 20 s runs of bench/issue-keys.sh against the running standalone, each
# into a new organization, without its warm-up: the first minute is what the cache is for.
issue() {
  for i in $(seq 1 "$1"); do
    KEYLEDGER_USE_RUNNING=1 WARMUP=0 bench/issue-keys.sh 20s 8 2 | grep RESULT | tail -1 | sed "s/^RESULT/run $i:/"
  done
}

# measured LABEL JAVA_OPTS -> a fresh standalone with those options, its start time and RUNS runs.
measured() {
  STANDALONE_JAVA_OPTS="-Xmx2g $2"
  local t0=$(date +%s%N)
  standalone_start >/dev/null
  echo "== $1: ready after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  issue "$RUNS"
  "$JAVA_HOME/bin/jstat" -compiler "$STANDALONE_PID" | tail -1 | awk '{print "jit: " $1 " methods compiled, " $4 " s compile time"}'
  standalone_stop
  STANDALONE_PID=""
}

echo "== training ($TRAIN_RUNS x 20 s of issuance, cache: $WORK/app.aot)"
STANDALONE_JAVA_OPTS="-Xmx2g -XX:AOTCacheOutput=$WORK/app.aot"
standalone_start >/dev/null
issue "$TRAIN_RUNS"
standalone_stop
STANDALONE_PID=""
[ -s "$WORK/app.aot" ] || { echo "FAILED: the training run wrote no AOT cache" >&2; exit 1; }
echo "cache: $(du -h "$WORK/app.aot" | cut -f1)"

measured "without cache" ""
measured "with AOT cache" "-XX:AOTCache=$WORK/app.aot"
