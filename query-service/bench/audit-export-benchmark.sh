#!/usr/bin/env bash
# Signed audit export of ENTRIES entries (default 1,000,000) of one organization (docs/benchmarks.md,
# "Audit export"): entries seeded into audit_log of the test PostgreSQL and chained by the
# projection, the export streamed over HTTP into a file (entries/s, heap sampled during the stream
# with the test heap bounded at HEAP, default 512m), then the file verified with the contracts
# verifier (entries/s). Writes query-service/target/benchmark-audit-export.txt.
#
# Measures only on a quiet machine: with a 1-minute load average above LOAD_MAX (default 6) it
# refuses (exit 3) unless FORCE=1, since figures taken under foreign load measure the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
ENTRIES=${ENTRIES:-1000000}
case "$ENTRIES" in
  ''|*[!0-9]*) echo "FAILED: ENTRIES must be a whole number (got '$ENTRIES')" >&2; exit 2 ;;
esac
[ "$ENTRIES" -ge 2 ] || { echo "FAILED: ENTRIES must be at least 2" >&2; exit 2; }
HEAP=${HEAP:-512m}
LOAD_MAX=${LOAD_MAX:-6}
load=$(cut -d' ' -f1 /proc/loadavg)
if [ "${FORCE:-0}" != 1 ] && awk -v l="$load" -v m="$LOAD_MAX" 'BEGIN { exit !(l > m) }'; then
  echo "REFUSED: load average $load is above $LOAD_MAX; run again on a quiet machine (or FORCE=1)" >&2
  exit 3
fi
report=query-service/target/benchmark-audit-export.txt
rm -f "$report"
./mvnw -B -q -ntp ${MAVEN_OFFLINE:+-o} -pl query-service -am test \
  -Dtest=AuditExportBenchmarkIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyledger.benchmark.auditexport.entries="$ENTRIES" \
  -Dquery-service.test.heap="$HEAP" -Dspotless.check.skip=true
[ -s "$report" ] || { echo "FAILED: no report written (did the benchmark test run?)" >&2; exit 1; }
cat "$report"
# Loud when nothing was measured: an export line with entries and bytes, and the verifier's count of
# entries equal to ENTRIES (not just "verified" something).
grep -Eq '^export: [1-9][0-9,]* entries, [0-9,]+ MiB in [0-9.]+ s = [1-9][0-9,]* entries/s' "$report" \
  || { echo "FAILED: no export was measured" >&2; exit 1; }
verified=$(sed -n 's/^verify .*: verified \([0-9][0-9]*\) entries.*/\1/p' "$report")
[ -n "$verified" ] || { echo "FAILED: the export did not verify" >&2; exit 1; }
[ "$verified" = "$ENTRIES" ] || { echo "FAILED: verified $verified entries, expected $ENTRIES" >&2; exit 1; }
