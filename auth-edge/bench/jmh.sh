#!/usr/bin/env bash
# JMH benchmark of the in-process decision (one thread = verifications per second per core).
# Usage: auth-edge/bench/jmh.sh [extra JMH args]
#        auth-edge/bench/jmh.sh --parts [extra JMH args]   each step of the decision alone, ns per call
#                                                          (DecisionPartsBenchmark; docs/benchmarks-edge.md)
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
benchmark=DecisionBenchmark
if [ "${1:-}" = "--parts" ]; then
  benchmark=DecisionPartsBenchmark
  shift
fi
cp="$("$(dirname "$0")/classpath.sh")"
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$benchmark" -t 1 "$@"
