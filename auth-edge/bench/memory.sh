#!/usr/bin/env bash
# Heap per active key with 1,000,000 keys loaded. Usage: auth-edge/bench/memory.sh [count]
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cp="$("$(dirname "$0")/classpath.sh")"
exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC -cp "$cp" dev.keyledger.edge.bench.MemoryPerKey "${1:-1000000}"
