#!/usr/bin/env bash
# Times `keyledger audit verify` on a generated, validly signed export of ENTRIES entries (default
# 1,000,000), end to end through bin/keyledger (JVM start included). The export is written by
# SampleExport (cli test sources) with the contracts module's chain and Ed25519 signer, shaped like
# the query-service's entries (about 600 bytes a line). Fails loudly unless every entry verified.
# Usage: cli/bench/verify-benchmark.sh            (ENTRIES=N, WORK=DIR to keep the files elsewhere)
# Builds what it needs (cli and contracts) with Maven; add MVN_OPTS=-o to stay offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
ENTRIES="${ENTRIES:-1000000}"
[ "$ENTRIES" -ge 1 ] 2>/dev/null || { echo "ENTRIES must be a positive number, not '$ENTRIES'" >&2; exit 1; }
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
# shellcheck disable=SC2086
./mvnw -B -q ${MVN_OPTS:-} -pl cli -am -DskipTests -Dspotless.check.skip=true package
# A second run for the generator's classpath: in one run with `package`, the repackaged jar would
# miss the reactor's contracts jar.
# shellcheck disable=SC2086
./mvnw -B -q ${MVN_OPTS:-} -pl cli -am -Dspotless.check.skip=true test-compile \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
export_file="$WORK/export.ndjson"
keys_file="$WORK/signing-keys.json"
"$JAVA_HOME/bin/java" -cp "cli/target/test-classes:cli/target/classes:$(cat cli/target/bench.classpath)" \
    dev.keyledger.cli.audit.SampleExport "$ENTRIES" "$export_file" "$keys_file" >&2
bytes=$(stat -c %s "$export_file")
echo "export: $ENTRIES entries, $bytes bytes, $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" >&2
load=$(cut -d' ' -f1 /proc/loadavg)
TIMEFORMAT='%R %U %S'
set +e
timing=$( { time bin/keyledger audit verify "$export_file" --keys "$keys_file" --no-progress >"$WORK/stdout" 2>"$WORK/stderr"; } 2>&1 )
rc=$?
set -e
out=$(cat "$WORK/stdout")
read -r wall user sys <<<"$timing"
if [ "$rc" -ne 0 ] || [ "$out" != "verified $ENTRIES entries" ]; then
  echo "FAILED: exit $rc, stdout '$out' (expected 'verified $ENTRIES entries'), stderr: $(head -c 500 "$WORK/stderr")" >&2
  exit 1
fi
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
rate=$(awk -v n="$ENTRIES" -v w="$wall" 'BEGIN { printf "%d", n / w }')
echo "$out: wall ${wall} s ($rate entries/s), CPU ${cpu} s (user $user, sys $sys), load average before: $load"
[ -n "${KEEP:-}" ] || rm -f "$export_file" "$keys_file" "$WORK/stdout" "$WORK/stderr"
exit 0
