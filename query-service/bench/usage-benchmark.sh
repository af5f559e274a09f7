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
SECONDS_PER_PHASE=${PHASE_SECONDS:-30}
./mvnw -B -q -pl query-service -am test \
  -Dtest=UsageIngestBenchmarkIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyledger.benchmark.usage.events="$EVENTS" -Dkeyledger.benchmark.usage.keys="$KEYS" \
  -Dkeyledger.benchmark.usage.delay-rate="$DELAY_RATE" \
  -Dkeyledger.benchmark.usage.sustained-rate="$SUSTAINED_RATE" \
  -Dkeyledger.benchmark.usage.seconds="$SECONDS_PER_PHASE" \
  -Dkeyledger.usage.max-poll-records="${MAX_POLL_RECORDS:-20000}" \
  -Dquery-service.test.heap=1g -Dspotless.check.skip=true
cat query-service/target/benchmark-usage.txt
