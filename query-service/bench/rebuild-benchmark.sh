#!/usr/bin/env bash
# Projection throughput during a rebuild of EVENTS events (default 1,000,000) on the test
# infrastructure (Testcontainers where Docker answers, embedded PostgreSQL + KRaft otherwise).
# Prints the numbers and writes query-service/target/benchmark-rebuild.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
EVENTS=${EVENTS:-1000000}
./mvnw -B -q -pl query-service -am test \
  -Dtest=ProjectionRebuildBenchmarkIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyledger.benchmark.events="$EVENTS" -Dquery-service.test.heap=1g -Dspotless.check.skip=true
cat query-service/target/benchmark-rebuild.txt
