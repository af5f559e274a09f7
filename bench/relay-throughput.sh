#!/usr/bin/env bash
# Events relayed from the Axon event store to Kafka per second (command-service relay).
# Starts an embedded PostgreSQL and an in-process KRaft broker (or Testcontainers where Docker
# answers), appends EVENTS events (default 100000) to the store, then times the relay.
# Usage: bench/relay-throughput.sh [extra JVM -D options], e.g. -Dkeyledger.relay.batch-size=500
# Works on a fresh checkout: it builds the modules it needs itself (no earlier `install`).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
EVENTS="${EVENTS:-100000}"
./mvnw -B -q -pl command-service -am -Dspotless.check.skip=true test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
"$JAVA_HOME/bin/java" -Daxoniq.update-checker.disabled=true -Devents="$EVENTS" "$@" \
    -cp "command-service/target/test-classes:command-service/target/classes:$(cat command-service/target/bench.classpath)" \
    dev.keyledger.command.relay.RelayThroughputBenchmark
