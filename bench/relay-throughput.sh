#!/usr/bin/env bash
# Events relayed from the Axon event store to Kafka per second (command-service relay).
# Starts an embedded PostgreSQL and an in-process KRaft broker (or Testcontainers where Docker
# answers), appends EVENTS events (default 100000) to the store, then times the relay.
# Usage: bench/relay-throughput.sh [extra JVM -D options], e.g. -Dkeyledger.relay.batch-size=500
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
EVENTS="${EVENTS:-100000}"
./mvnw -B -q -f command-service/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
    -Dexec.executable="$JAVA_HOME/bin/java" \
    -Dexec.classpathScope=test \
    -Dexec.args="-Daxoniq.update-checker.disabled=true -Devents=$EVENTS $* -cp %classpath dev.keyledger.command.relay.RelayThroughputBenchmark"
