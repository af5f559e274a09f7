#!/usr/bin/env bash
# The edge's share of revoke->deny: tombstone acknowledged by Kafka -> first 401 from forward-auth.
# Real in-process Kafka broker, real edge on loopback 28090/29090. Usage: auth-edge/bench/revoke-to-deny.sh [rounds]
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
here="$(cd "$(dirname "$0")" && pwd)"
cp="$("$here/classpath.sh")"
mkdir -p /tmp/keyledger-bench-nginx/jvm-tmp
"$JAVA_HOME/bin/java" -Djava.io.tmpdir=/tmp/keyledger-bench-nginx/jvm-tmp -cp "$cp" dev.keyledger.edge.bench.EdgeBenchServer 28090 29090 /tmp/keyledger-bench-nginx/revoke-keys.env \
  http://127.0.0.1:8099 revoke-probe "${1:-50}" 2>&1 | grep -E '^REVOKE-TO-DENY|^EDGE READY'
