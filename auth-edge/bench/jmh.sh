#!/usr/bin/env bash
# JMH benchmark of the in-process decision (one thread = verifications per second per core).
# Usage: auth-edge/bench/jmh.sh [extra JMH args]
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cp="$("$(dirname "$0")/classpath.sh")"
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main DecisionBenchmark -t 1 "$@"
