#!/usr/bin/env bash
# Key issuance on a warm JVM: starts one standalone (STANDALONE_JAVA_OPTS, default -Xmx2g) and runs
# bench/issue-keys.sh RUNS times in a row (default 6) with CONNS connections (default 8); the JIT
# keeps improving over the first runs, so the last runs are the ones to quote.
# Usage: RUNS=6 CONNS=8 bench/issue-keys-series.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-6}"
. bench/lib/standalone.sh
trap standalone_stop EXIT
standalone_start
for i in $(seq 1 "$RUNS"); do
  echo "run $i load: $(cut -d' ' -f1-3 /proc/loadavg)"
  KEYLEDGER_USE_RUNNING=1 bench/issue-keys.sh 20s ${CONNS:-8} 2 2>&1 | grep RESULT | tail -1
done
