#!/usr/bin/env bash
# Proxy mode (issue 14, third row of its table): the standalone's edge checking a valid secret key
# and proxying GET /api/v1/bench to the standalone's demo upstream, against nginx `proxy_pass` (one
# worker, keep-alive upstream connections) to the same upstream, same run.
#
# Usage: bench/proxy-vs-nginx.sh [DURATION, default 10s] [CONNECTIONS, default 32]
# Ports at PORT_BASE (default 46000; nginx on PORT_BASE+2). Both are warmed for WARMUP (default
# 30s), then measured with wrk -t1, nginx first. 30 s, not the 10 s of the forward-auth rows: the
# proxy path is several times more code for C2 to compile, and 10 s after start it still is
# compiling (2026-12-02, one run each: 3,548 and 5,047 req/s after 10 s, 5,226 after 30 s; with
# WebClient still in the path, 2,319 after 10 s and about 6,000 only after a minute and a half). Prints one RESULT line; exits non-zero when a run
# measured nothing or answered anything but 2xx.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10s}"
CONNECTIONS="${2:-32}"
WARMUP="${WARMUP:-30s}"
base="${PORT_BASE:-46000}"
. bench/lib/ports.sh
standalone_ports "$base"
. bench/lib/standalone.sh
. bench/lib/nginx.sh
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
work="$(mktemp -d /tmp/keyledger-proxy.XXXXXX)"
cleanup() { nginx_stop; standalone_stop; rm -rf "$work"; }
trap cleanup EXIT
standalone_start
NGINX_UPSTREAM="127.0.0.1:$UPSTREAM_PORT" nginx_start "$work/nginx" $((base + 2)) \
  'proxy_pass http://upstream_under_test; proxy_http_version 1.1; proxy_set_header Connection "";'

read -r _ _ KEY < <(bench_key "Proxy bench")
wait_accepted "$KEY"
path=/api/v1/bench
edge_url="$EDGE$path"
nginx_url="http://127.0.0.1:$((base + 2))$path"
for url in "$edge_url" "$nginx_url"; do
  code=$(curl -s -o "$work/answer.json" -w '%{http_code}' -H "X-API-Key: $KEY" "$url")
  echo "check $url: $code $(head -c 200 "$work/answer.json")"
  [ "$code" = 200 ] || { echo "FAILED: $url answered $code" >&2; exit 1; }
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warm-up $WARMUP each"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "X-API-Key: $KEY" "$edge_url" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$nginx_url" >/dev/null
echo "== nginx proxy_pass (one worker)"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$nginx_url" | tee "$work/nginx.txt"
echo "== edge proxy mode, valid secret key"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "X-API-Key: $KEY" "$edge_url" | tee "$work/edge.txt"
read -r nginx_rps nginx_p99 nginx_requests nginx_non _ < <(wrk_fields "$work/nginx.txt")
read -r edge_rps edge_p99 edge_requests edge_non edge_errors < <(wrk_fields "$work/edge.txt")
[ "$nginx_requests" -gt 0 ] && [ "$edge_requests" -gt 0 ] || { echo "FAILED: a run measured nothing" >&2; exit 1; }
[ "$nginx_non" = 0 ] && [ "$edge_non" = 0 ] || { echo "FAILED: non-2xx answers (nginx $nginx_non, edge $edge_non)" >&2; exit 1; }
echo "RESULT nginx_rps=$nginx_rps nginx_p99=$nginx_p99 edge_rps=$edge_rps edge_p99=$edge_p99 edge_errors=$edge_errors ratio=$(awk -v e="$edge_rps" -v n="$nginx_rps" 'BEGIN {printf "%.2f", e/n}')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
