#!/usr/bin/env bash
# One Kafka hop through the standalone's in-process broker (send -> consumer poll), the unit the
# revocation path is made of (docs/decisions/0018-early-tombstones.md). Against a running
# standalone: KAFKA=host:port (default 127.0.0.1:9092, the standalone's broker).
# Usage: bench/kafka-hop.sh [FETCH_MAX_WAIT_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp="$(auth-edge/bench/classpath.sh)"
out="$("$JAVA_HOME/bin/java" -cp "$cp" bench/KafkaHop.java "${KAFKA:-127.0.0.1:9092}" "${1:-500}" 2>/dev/null | grep '^RESULT')" \
  || { echo "FAILED: no hop measured" >&2; exit 1; }
echo "$out"
