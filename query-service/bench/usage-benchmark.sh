#!/usr/bin/env bash
# Usage ingest, exactly once, on the test infrastructure (Testcontainers where Docker answers,
# embedded PostgreSQL + KRaft otherwise): a delay phase at DELAY_RATE/s, a backlog of EVENTS records
# drained from a stopped consumer, and a sustained phase at SUSTAINED_RATE/s, each phase PHASE_SECONDS long (default 30; not SECONDS, which is bash's own clock).
# Prints the numbers and writes query-service/target/benchmark-usage.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
EVENTS=${EVENTS:-2000000}
KEYS=${KEYS:-1000}
DELAY_RATE=${DELAY_RATE:-10000}
SUSTAINED_RATE=${SUSTAINED_RATE:-50000}
# Not SECONDS: that is bash's own seconds-since-start counter, and reading it made every phase 0 s long.
PHASE_LENGTH=${PHASE_SECONDS:-30}
case "$PHASE_LENGTH" in
  ''|*[!0-9]*|0) echo "PHASE_SECONDS must be a whole number of seconds above 0, not '$PHASE_LENGTH'" >&2; exit 2 ;;
esac
rm -f query-service/target/benchmark-usage.txt
./mvnw -B -q -pl query-service -am test \
  -Dtest=UsageIngestBenchmarkIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyledger.benchmark.usage.events="$EVENTS" -Dkeyledger.benchmark.usage.keys="$KEYS" \
  -Dkeyledger.benchmark.usage.delay-rate="$DELAY_RATE" \
  -Dkeyledger.benchmark.usage.sustained-rate="$SUSTAINED_RATE" \
  -Dkeyledger.benchmark.usage.seconds="$PHASE_LENGTH" \
  -Dkeyledger.usage.max-poll-records="${MAX_POLL_RECORDS:-192}" \
  -Dquery-service.test.heap=1g ${EXTRA_MVN_ARGS:-} -Dspotless.check.skip=true
report=query-service/target/benchmark-usage.txt
# The test fails a phase that measured nothing; this catches a run that did not get that far.
[ -s "$report" ] || { echo "FAILED: no report written (did the benchmark test run?)" >&2; exit 1; }
cat "$report"
for phase in "delay phase" "backlog phase" "sustained phase" "sustained steady window" "exactly once"; do
  grep -q "^$phase" "$report" || { echo "FAILED: the $phase line is missing" >&2; exit 1; }
done
# (The steady-window line may rightly say "behind ... by 0 records": a consumer that kept up.)
if grep -v '^sustained steady window' "$report" | grep -Eq '(^| )0 records|in 0\.0+ s' \
    || grep -Eq '^sustained steady window: 0\.0 s|counted 0 records/s' "$report"; then
  echo "FAILED: a phase measured nothing" >&2
  exit 1
fi
