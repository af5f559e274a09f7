#!/usr/bin/env bash
# End-to-end revocation latency in the standalone: revoke call's answer -> first 401 at the edge.
# Usage: bench/revoke-to-deny.sh [KEYS]   (default 200). Starts the standalone on a temporary data
# dir unless KEYLEDGER_USE_RUNNING=1. Needs curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
trap standalone_stop EXIT
standalone_start
"$JAVA_HOME/bin/java" bench/RevokeToDeny.java "${1:-200}"
