#!/usr/bin/env bash
# A real nginx (Debian package) using the edge as its auth_request backend. Starts the edge (with an
# in-process Kafka broker and demo keys) and nginx on loopback ports, runs a few requests, checks the
# answers against the contract, and stops both. Exit code 0 when every check passed.
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
here="$(cd "$(dirname "$0")" && pwd)"
work=/tmp/keyledger-bench-nginx
mkdir -p "$work/jvm-tmp"
command -v nginx >/dev/null || { echo "nginx missing: apt-get install -y nginx" >&2; exit 2; }
cp="$("$here/classpath.sh")"

edge_pid=""; nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "$edge_pid" ] && kill "$edge_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

rm -f "$work/keys.env"
"$JAVA_HOME/bin/java" -Xmx512m -Djava.io.tmpdir="$work/jvm-tmp" -cp "$cp" dev.keyledger.edge.bench.EdgeBenchServer \
  28080 29080 "$work/keys.env" http://127.0.0.1:8099 > "$work/edge-demo.log" 2>&1 &
edge_pid=$!
nginx -p "$work" -c "$here/nginx-forward-auth.conf" &
nginx_pid=$!
for _ in $(seq 1 120); do [ -s "$work/keys.env" ] && break; sleep 1; done
[ -s "$work/keys.env" ] || { echo "edge did not become ready; see $work/edge-demo.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/keys.env"

failures=0
check() { # name expected-status curl-args...
  local name=$1 expected=$2; shift 2
  local out status
  out=$(curl -s -i "$@")
  status=$(printf '%s' "$out" | head -1 | awk '{print $2}')
  if [ "$status" = "$expected" ]; then echo "ok   $name -> $status"; else echo "FAIL $name -> $status (want $expected)"; failures=$((failures+1)); fi
  printf '%s\n' "$out" | grep -iE '^(x-ratelimit|retry-after|access-control-allow-origin)|upstream saw|"code"' | sed 's/^/       /'
}
front=http://127.0.0.1:28082
check "valid secret key reaches the API without X-API-Key" 200 -H "X-API-Key: $KL_BENCH_KEY" "$front/api/v1/items"
check "secret key naming a database" 200 -H "X-API-Key: $KL_BENCH_KEY" "$front/api/v1/databases/$KL_DATABASE_ID/items"
check "public key from its allowed origin" 200 -H "X-API-Key: $KL_PUBLIC_KEY" -H "Origin: https://app.example.com" "$front/api/v1/items"
check "public key from another origin" 403 -H "X-API-Key: $KL_PUBLIC_KEY" -H "Origin: https://evil.example.com" "$front/api/v1/items"
check "secret key from a browser" 403 -H "X-API-Key: $KL_BENCH_KEY" -H "Origin: https://app.example.com" "$front/api/v1/items"
check "missing key" 401 "$front/api/v1/items"
check "forged key" 401 -H "X-API-Key: sk_$(printf 'A%.0s' $(seq 1 64))" "$front/api/v1/items"
check "limited key, request 1 of 2" 200 -H "X-API-Key: $KL_LIMITED_KEY" "$front/api/v1/items"
check "limited key, request 2 of 2" 200 -H "X-API-Key: $KL_LIMITED_KEY" "$front/api/v1/items"
check "limited key, over the limit" 429 -H "X-API-Key: $KL_LIMITED_KEY" "$front/api/v1/items"
echo "failures=$failures"
exit "$failures"
