#!/usr/bin/env bash
# wrk against the edge's forward-auth endpoint and against nginx `return 200`, same machine, same run.
# Prints both results and the ratio of requests per second. Loopback ports 28080/29080 (edge) and 28081 (nginx),
# or EDGE_PORT, EDGE_MANAGEMENT_PORT, NGINX_PORT.
# Usage: auth-edge/bench/forward-auth-bench.sh [duration, default 20s] [connections, default 64] [extra edge settings, e.g. --keyledger.usage.enabled=false]
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
here="$(cd "$(dirname "$0")" && pwd)"
duration=${1:-20s}
connections=${2:-64}
extra=("${@:3}")
work=/tmp/keyledger-bench-nginx
edge_port=${EDGE_PORT:-28080}
edge_management_port=${EDGE_MANAGEMENT_PORT:-29080}
nginx_port=${NGINX_PORT:-28081}
# The embedded broker keeps its logs under java.io.tmpdir; a private one survives other jobs cleaning /tmp/kafka-*.
mkdir -p "$work/jvm-tmp"
command -v nginx >/dev/null || { echo "nginx missing: apt-get install -y nginx wrk" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y nginx wrk" >&2; exit 2; }
cp="$("$here/classpath.sh")"

edge_pid=""; nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "$edge_pid" ] && kill "$edge_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

rm -f "$work/keys.env"
"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -Djava.io.tmpdir="$work/jvm-tmp" -cp "$cp" dev.keyledger.edge.bench.EdgeBenchServer "$edge_port" "$edge_management_port" "$work/keys.env" http://127.0.0.1:8099 "${extra[@]}" \
  > "$work/edge.log" 2>&1 &
edge_pid=$!
sed "s/127.0.0.1:28081/127.0.0.1:$nginx_port/" "$here/nginx-return200.conf" > "$work/return200.conf"
nginx -p "$work" -c "$work/return200.conf" &
nginx_pid=$!
for _ in $(seq 1 "${READY_TIMEOUT:-120}"); do [ -s "$work/keys.env" ] && break; sleep 1; done
[ -s "$work/keys.env" ] || { echo "edge did not become ready; see $work/edge.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/keys.env"

curl -s -o /dev/null -w "edge check: %{http_code}\n" -H "X-API-Key: $KL_BENCH_KEY" http://127.0.0.1:$edge_port/_keyledger/auth
curl -s -o /dev/null -w "nginx check: %{http_code}\n" http://127.0.0.1:$nginx_port/
# Warm the JIT before measuring.
wrk -t2 -c"$connections" -d10s -H "X-API-Key: $KL_BENCH_KEY" http://127.0.0.1:$edge_port/_keyledger/auth > /dev/null

echo "== nginx return 200"
wrk -t2 -c"$connections" -d"$duration" --latency http://127.0.0.1:$nginx_port/ | tee "$work/nginx.txt"
echo "== edge forward-auth (valid secret key, in-memory limiter, usage events on)"
wrk -t2 -c"$connections" -d"$duration" --latency -H "X-API-Key: $KL_BENCH_KEY" http://127.0.0.1:$edge_port/_keyledger/auth | tee "$work/edge.txt"

nginx_rps=$(awk '/Requests\/sec/ {print $2}' "$work/nginx.txt")
edge_rps=$(awk '/Requests\/sec/ {print $2}' "$work/edge.txt")
nginx_p99=$(awk '$1=="99%" {print $2}' "$work/nginx.txt")
edge_p99=$(awk '$1=="99%" {print $2}' "$work/edge.txt")
non2xx=$(awk '/Non-2xx/ {print $4}' "$work/edge.txt")
echo "RESULT nginx_rps=$nginx_rps nginx_p99=$nginx_p99 edge_rps=$edge_rps edge_p99=$edge_p99 edge_non2xx=${non2xx:-0} ratio=$(awk -v e="$edge_rps" -v n="$nginx_rps" 'BEGIN {printf "%.2f", e/n}')"
