#!/usr/bin/env bash
# JFR profile of the standalone (one JVM: command-service, query-service, auth-edge, in-process
# Kafka; embedded PostgreSQL as a separate process) under forward-auth load with usage metering on.
#
# Usage: PORT_BASE=43000 bench/profile-standalone.sh [DURATION, default 20s] [CONNECTIONS, default 32]
# Starts the standalone (bench/lib/standalone.sh, every port at PORT_BASE, default 46000), issues one
# secret key, warms the edge up with wrk for WARMUP (default 10s), then starts a JFR recording
# (settings=profile) with jcmd, runs `wrk -t1 -cCONNECTIONS -dDURATION` against /_keyledger/auth,
# waits until key_usage counts every accepted request (so the usage path's work is in the
# recording), stops the recording, and writes to OUT (default /tmp/keyledger-profile):
#   standalone.jfr, wrk.txt, thread-cpu.txt (per-thread CPU from /proc over the recorded window,
#   grouped by thread name, PostgreSQL's processes as one group) and summary.txt
#   (bench/lib/jfr-summary.py: top frames per thread group, allocation, GC).
# Exits non-zero when wrk measured nothing or metering did not count the accepted requests.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-20s}"
CONNECTIONS="${2:-32}"
WARMUP="${WARMUP:-10s}"
OUT="${OUT:-/tmp/keyledger-profile}"
base="${PORT_BASE:-46000}"
. bench/lib/ports.sh
standalone_ports "$base"
. bench/lib/standalone.sh
. bench/lib/nginx.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
mkdir -p "$OUT"
trap standalone_stop EXIT
standalone_start

read -r ORG KEY_ID KEY < <(bench_key "Profile bench")
wait_accepted "$KEY"
# thread_ticks -> "GROUP TICKS" per JVM thread (name from /proc/<pid>/task/<tid>/comm, digits
# dropped so a pool is one group) and one "postgres" line for the PostgreSQL processes: the
# postmaster found by its data directory and all its backends (which rename themselves, so pgrep -f
# alone finds only the postmaster).
thread_ticks() {
  local t
  for t in /proc/"$STANDALONE_PID"/task/*; do
    [ -r "$t/stat" ] || continue
    printf '%s\t%s\n' "$(tr -d '0-9' <"$t/comm" | sed 's/[- #]*$//')" "$(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done 2>/dev/null
  printf 'postgres\t%s\n' "$(for p in $(tree_pids "$STANDALONE_DIR/data"); do
    [ "$p" = "$STANDALONE_PID" ] || sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}'; done | awk '{s += $1} END {print s + 0}')"
}
edge_url="$EDGE/_keyledger/auth"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "X-API-Key: $KEY" "$edge_url" >"$OUT/warmup.txt"
read -r _ _ warm_requests warm_non _ < <(wrk_fields "$OUT/warmup.txt")
[ "$warm_requests" -gt 0 ] || { cat "$OUT/warmup.txt"; echo "FAILED: the warm-up sent no request" >&2; exit 1; }
before_total=$(wait_counted $((warm_requests - warm_non))) || { echo "FAILED: warm-up usage not counted" >&2; exit 1; }

rm -f "$OUT/standalone.jfr"
thread_ticks >"$OUT/ticks-before.txt"; start=$(date +%s.%N)
"$JAVA_HOME/bin/jcmd" "$STANDALONE_PID" JFR.start name=profile settings=profile filename="$OUT/standalone.jfr" >/dev/null
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-API-Key: $KEY" "$edge_url" | tee "$OUT/wrk.txt"
read -r rps p99 requests non errors < <(wrk_fields "$OUT/wrk.txt")
accepted=$((requests - non))
[ "$requests" -gt 0 ] && [ "$accepted" -gt 0 ] || { echo "FAILED: wrk measured nothing (requests $requests, accepted $accepted)" >&2; exit 1; }
after_total=$(wait_counted $((before_total + accepted))) || { echo "FAILED: metering counted $((after_total - before_total)) of $accepted" >&2; exit 1; }
"$JAVA_HOME/bin/jcmd" "$STANDALONE_PID" JFR.stop name=profile >/dev/null
thread_ticks >"$OUT/ticks-after.txt"; end=$(date +%s.%N)
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
hz=$(getconf CLK_TCK)
awk -F'\t' -v hz="$hz" -v acc="$accepted" -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" '
  NR == FNR {b[$1] += $2; next} {a[$1] += $2}
  END {for (g in a) {d = a[g] - b[g]; tot += d; if (d > 0) printf "%-32s %8.2f s %7.1f us/request\n", g, d / hz, d / hz * 1e6 / acc | "sort -k2 -rn"}
       close("sort -k2 -rn"); printf "%-32s %8.2f s %7.1f us/request (wall %.1f s, %d accepted)\n", "TOTAL", tot / hz, tot / hz * 1e6 / acc, wall, acc}' \
  "$OUT/ticks-before.txt" "$OUT/ticks-after.txt" | tee "$OUT/thread-cpu.txt"
python3 bench/lib/jfr-summary.py "$OUT/standalone.jfr" >"$OUT/summary.txt"
echo "RESULT rps=$rps p99=$p99 requests=$requests non2xx=$non errors=$errors accepted=$accepted metered=$((after_total - before_total)) jfr=$OUT/standalone.jfr summary=$OUT/summary.txt"
