#!/usr/bin/env bash
# Revoke answer -> first 401 at the edge while RATE requests/s (default 2,000) of another valid key
# flow through the edge's forward-auth endpoint (issue 14, fifth row of its table): the standalone on
# a temporary data dir at PORT_BASE (default 46000), wrk with bench/paced.lua in the background, then
# bench/revoke-to-deny.sh REVOKES (default 300) against that standalone. wrk is stopped (SIGINT,
# it prints its summary) when the revokes are done.
#
# Usage: bench/revoke-under-load.sh [REVOKES] [RATE]
# Prints one RESULT line with the revocation percentiles and the rate that really flowed; fails
# when no revocation was measured, or when the load reached less than MIN_FRACTION (default 0.8)
# of RATE or answered anything but 2xx.
set -euo pipefail
cd "$(dirname "$0")/.."
REVOKES="${1:-300}"
RATE="${2:-2000}"
base="${PORT_BASE:-46000}"
. bench/lib/ports.sh
standalone_ports "$base"
. bench/lib/standalone.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
work="$(mktemp -d /tmp/keyledger-revoke-load.XXXXXX)"
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill -INT "$wrk_pid" 2>/dev/null || true
  standalone_stop
  rm -rf "$work"
}
trap cleanup EXIT
standalone_start
read -r _ _ KEY < <(bench_key "Load beside revokes")
wait_accepted "$KEY"
# 10 ms between requests per connection: RATE / 100 connections, plus a fifth for the latency
# (measured against nginx: 22 connections gave 1,819 requests/s).
connections=$(( (RATE * 12 + 999) / 1000 ))
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "background load: $connections connections, 10 ms apart each (target $RATE requests/s)"
DELAY_MS=10 wrk -t1 -c"$connections" -d3600s --latency -s bench/paced.lua -H "X-API-Key: $KEY" \
  "$EDGE/_keyledger/auth" >"$work/load.txt" 2>&1 &
wrk_pid=$!
sleep 5
KEYLEDGER_USE_RUNNING=1 bench/revoke-to-deny.sh "$REVOKES" | tee "$work/revokes.txt"
kill -INT "$wrk_pid"
wait "$wrk_pid" || true
wrk_pid=""
cat "$work/load.txt"
. bench/lib/nginx.sh
read -r load_rps load_p99 load_requests load_non load_errors < <(wrk_fields "$work/load.txt")
result=$(grep '^RESULT ' "$work/revokes.txt" | tail -1 | sed 's/^RESULT //')
[ -n "$result" ] || { echo "FAILED: no revocation measured" >&2; exit 1; }
echo "RESULT $result load_rps=$load_rps load_target=$RATE load_p99=$load_p99 load_non2xx=$load_non load_errors=$load_errors"
if [ "$load_non" != 0 ] || awk -v r="$load_rps" -v t="$RATE" -v f="${MIN_FRACTION:-0.8}" 'BEGIN { exit !(r < t * f) }'; then
  echo "FAILED: the background load was $load_rps requests/s ($load_non non-2xx), not $RATE" >&2
  exit 1
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
