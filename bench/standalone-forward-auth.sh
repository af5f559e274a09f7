#!/usr/bin/env bash
# Forward-auth on the standalone with usage metering on (issue 14, first and fourth rows of its
# table), beside nginx `return 200` with one worker in the same run, and the CPU time of the whole
# standalone (its JVM, the embedded PostgreSQL and their children, from /proc/<pid>/stat) per
# accepted, metered request.
#
# Usage: bench/standalone-forward-auth.sh [DURATION, default 10s] [CONNECTIONS, default 32]
# Starts the standalone on a temporary data dir with every port at PORT_BASE (default 46000; nginx
# on PORT_BASE+1), issues one secret key in an enterprise organization with limits no run reaches,
# then: wrk -t1 warm-up of the edge for WARMUP (default 10s) and waits until the query-service has
# counted it; samples the idle CPU of the standalone for IDLE_SECONDS (default 5); wrk against nginx;
# wrk against the edge's /_keyledger/auth with the key; waits until every accepted request of that
# run is counted in key_usage (the metering path finished); CPU from the start of the edge run to
# that point, minus the idle rate over the same interval, divided by the accepted requests.
# Prints one RESULT line; exits non-zero when a run measured nothing or metering lost requests.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10s}"
CONNECTIONS="${2:-32}"
WARMUP="${WARMUP:-10s}"
IDLE_SECONDS="${IDLE_SECONDS:-5}"
base="${PORT_BASE:-46000}"
. bench/lib/ports.sh
standalone_ports "$base"
. bench/lib/standalone.sh
. bench/lib/nginx.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
work="$(mktemp -d /tmp/keyledger-fa.XXXXXX)"
cleanup() { nginx_stop; standalone_stop; rm -rf "$work"; }
trap cleanup EXIT
standalone_start
nginx_start "$work/nginx" $((base + 1)) 'return 200;'

read -r ORG KEY_ID KEY < <(bench_key "Forward-auth bench")
wait_accepted "$KEY"
edge_url="$EDGE/_keyledger/auth"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up $WARMUP"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "X-API-Key: $KEY" "$edge_url" >"$work/warmup.txt"
read -r _ _ warm_requests warm_non _ < <(wrk_fields "$work/warmup.txt")
[ "$warm_requests" -gt 0 ] || { cat "$work/warmup.txt"; echo "FAILED: the warm-up sent no request" >&2; exit 1; }
before_total=$(wait_counted $((warm_requests - warm_non))) || { echo "FAILED: the warm-up's usage was not counted within 120 s ($before_total of $((warm_requests - warm_non)))" >&2; exit 1; }

pattern="$STANDALONE_DIR"
hz=$(getconf CLK_TCK)
echo "CPU sampled over $(tree_pids "$pattern" | wc -l) processes: $(tree_pids "$pattern" | xargs -r ps -o comm= -p | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')"
idle_start_ticks=$(tree_cpu_ticks "$pattern"); idle_start=$(date +%s.%N)
sleep "$IDLE_SECONDS"
idle_ticks=$(( $(tree_cpu_ticks "$pattern") - idle_start_ticks )); idle_wall=$(awk -v a="$idle_start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')

echo "== nginx return 200 (one worker)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$((base + 1))/" | tee "$work/nginx.txt"
echo "== standalone forward-auth, valid secret key, metering on"
start_ticks=$(tree_cpu_ticks "$pattern"); start=$(date +%s.%N)
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-API-Key: $KEY" "$edge_url" | tee "$work/edge.txt"
read -r nginx_rps nginx_p99 nginx_requests _ _ < <(wrk_fields "$work/nginx.txt")
read -r edge_rps edge_p99 edge_requests edge_non edge_errors < <(wrk_fields "$work/edge.txt")
accepted=$((edge_requests - edge_non))
if ! after_total=$(wait_counted $((before_total + accepted))); then
  echo "FAILED: metering counted $((after_total - before_total)) of $accepted accepted requests within 120 s" >&2
  exit 1
fi
end_ticks=$(tree_cpu_ticks "$pattern"); end=$(date +%s.%N)
metered=$((after_total - before_total))
[ "$nginx_requests" -gt 0 ] && [ "$accepted" -gt 0 ] || { echo "FAILED: a run measured nothing (nginx $nginx_requests, edge accepted $accepted)" >&2; exit 1; }
awk -v e="$edge_rps" -v n="$nginx_rps" -v t0="$start_ticks" -v t1="$end_ticks" -v hz="$hz" -v w0="$start" -v w1="$end" \
  -v it="$idle_ticks" -v iw="$idle_wall" -v acc="$accepted" -v met="$metered" -v ep="$edge_p99" -v np="$nginx_p99" \
  -v non="$edge_non" -v err="$edge_errors" 'BEGIN {
    cpu_s = (t1 - t0) / hz; wall = w1 - w0; idle_rate = (it / hz) / iw; busy = cpu_s - idle_rate * wall;
    printf "RESULT nginx_rps=%.0f nginx_p99=%s edge_rps=%.0f edge_p99=%s edge_non2xx=%d edge_errors=%d ratio=%.2f accepted=%d metered=%d cpu_s=%.2f wall_s=%.1f idle_cpu_per_s=%.3f cpu_us_per_request=%.1f cpu_us_per_request_raw=%.1f\n",
      n, np, e, ep, non, err, e / n, acc, met, cpu_s, wall, idle_rate, busy * 1e6 / acc, cpu_s * 1e6 / acc }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
