#!/usr/bin/env bash
# Incident response against the standalone (decision 0012, docs/benchmarks.md): KEYS (default
# 10,000) secret keys in one organization, suspend -> time to the last 401 at the edge, reactivate
# -> time to the last 200 (keys revoked before stay 401), revoke-all -> call time and time from its
# answer to the last 401. Each time is a bracket from CONNECTIONS (16) concurrent pollers (max of
# the last old answer's send time, max of the first new answer's receive time), next to the edge's
# own keyledger_edge_revocation_lag_seconds read before and after (tombstones applied, p50/p99/max)
# and the query-service's tombstones published. Starts the standalone on a temporary data dir with
# every port in 45000-45999 (PORT_BASE) unless KEYLEDGER_USE_RUNNING=1 (then IDP, COMMANDS, EDGE,
# EDGE_MANAGEMENT and QUERIES_MANAGEMENT name it).
# Refuses to run when the load average is at or above MAX_LOAD (default 8); FORCE=1 runs anyway.
# Exits non-zero when it measured nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${FORCE:-0}" != "1" ] && awk -v l="$load" -v m="${MAX_LOAD:-8}" 'BEGIN { exit !(l >= m) }'; then
  echo "load average $load >= ${MAX_LOAD:-8}: not run (FORCE=1 runs anyway)" >&2
  exit 2
fi
base="${PORT_BASE:-45000}"
if [ "${KEYLEDGER_USE_RUNNING:-0}" != "1" ]; then
  export IDP="http://127.0.0.1:$((base + 90))" COMMANDS="http://127.0.0.1:$((base + 81))" \
    QUERIES="http://127.0.0.1:$((base + 82))" EDGE="http://127.0.0.1:$((base + 80))" \
    EDGE_MANAGEMENT="http://127.0.0.1:$((base + 180))" QUERIES_MANAGEMENT="http://127.0.0.1:$((base + 182))" \
    COMMANDS_MANAGEMENT="http://127.0.0.1:$((base + 181))"
  export STANDALONE_ARGS="--keyledger.standalone.postgres.port=$((base + 432)) \
--keyledger.standalone.kafka.port=$((base + 92)) --keyledger.standalone.kafka.controller-port=$((base + 93)) \
--keyledger.standalone.idp.port=$((base + 90)) --keyledger.standalone.idp.issuer=http://127.0.0.1:$((base + 90)) \
--keyledger.standalone.upstream.port=$((base + 99)) \
--keyledger.standalone.services.auth-edge.port=$((base + 80)) --keyledger.standalone.services.auth-edge.management-port=$((base + 180)) \
--keyledger.standalone.services.command-service.port=$((base + 81)) --keyledger.standalone.services.command-service.management-port=$((base + 181)) \
--keyledger.standalone.services.query-service.port=$((base + 82)) --keyledger.standalone.services.query-service.management-port=$((base + 182)) \
--keyledger.standalone.services.portal.port=$((base + 83)) --keyledger.standalone.services.portal.management-port=$((base + 183)) \
--keyledger.standalone.idp.portal-base-url=http://127.0.0.1:$((base + 83))"
fi
. bench/lib/standalone.sh
trap standalone_stop EXIT
standalone_start
out="$(mktemp)"
"$JAVA_HOME/bin/java" bench/RevokeAll.java | tee "$out"
for what in suspend reactivate revoke-all; do
  if ! grep -q "^RESULT $what .*first_" "$out"; then
    echo "FAILED: no $what measurement" >&2
    exit 1
  fi
done
for what in suspend revoke-all; do
  if ! grep -q "^RESULT $what .*edge_tombstones=[1-9]" "$out"; then
    echo "FAILED: the edge's revocation lag was not measured for $what" >&2
    exit 1
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
