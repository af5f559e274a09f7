# Puts every port of a standalone started by bench/lib/standalone.sh at an offset of BASE (the same
# layout as bench/revoke-all.sh), so benchmarks can run beside another standalone. Source it, then
# call `standalone_ports BASE` before sourcing bench/lib/standalone.sh. Exports IDP, COMMANDS,
# QUERIES, EDGE, KAFKA, PGPORT, UPSTREAM_PORT and STANDALONE_ARGS.
standalone_ports() {
  local base="$1"
  export IDP="http://127.0.0.1:$((base + 90))" COMMANDS="http://127.0.0.1:$((base + 81))" \
    QUERIES="http://127.0.0.1:$((base + 82))" EDGE="http://127.0.0.1:$((base + 80))" \
    KAFKA="127.0.0.1:$((base + 92))" PGPORT="$((base + 432))" UPSTREAM_PORT="$((base + 99))"
  export STANDALONE_ARGS="--keyledger.standalone.postgres.port=$((base + 432)) \
--keyledger.standalone.kafka.port=$((base + 92)) --keyledger.standalone.kafka.controller-port=$((base + 93)) \
--keyledger.standalone.idp.port=$((base + 90)) --keyledger.standalone.idp.issuer=http://127.0.0.1:$((base + 90)) \
--keyledger.standalone.upstream.port=$((base + 99)) \
--keyledger.standalone.services.auth-edge.port=$((base + 80)) --keyledger.standalone.services.auth-edge.management-port=$((base + 180)) \
--keyledger.standalone.services.command-service.port=$((base + 81)) --keyledger.standalone.services.command-service.management-port=$((base + 181)) \
--keyledger.standalone.services.query-service.port=$((base + 82)) --keyledger.standalone.services.query-service.management-port=$((base + 182)) \
--keyledger.standalone.services.portal.port=$((base + 83)) --keyledger.standalone.services.portal.management-port=$((base + 183)) \
--keyledger.standalone.idp.portal-base-url=http://127.0.0.1:$((base + 83)) ${STANDALONE_EXTRA_ARGS:-}"
}

# bench_key NAME -> issues a secret key in a fresh enterprise organization with limits no benchmark
# reaches, prints "ORG KEY_ID PLAINTEXT". Needs standalone.sh's token and the running standalone.
bench_key() {
  local admin org owner body
  admin=$(token root "" platform_admin)
  org=$(curl -sf "$COMMANDS/api/v1/organizations" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1 $(date +%s%N)\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":100000000,\"requests_per_day\":100000000000}}" | jq -r .id)
  [ -n "$org" ] && [ "$org" != null ] || { echo "could not create an organization" >&2; return 1; }
  owner=$(token bench "$org" org_admin)
  body=$(curl -sf "$COMMANDS/api/v1/organizations/$org/api-keys" -H "Authorization: Bearer $owner" \
    -H 'Content-Type: application/json' -d '{"name":"bench"}')
  echo "$org $(jq -r .id <<<"$body") $(jq -r .key <<<"$body")"
}

# wait_accepted KEY [SECONDS] -> waits until the edge's forward-auth answers 200 for KEY.
wait_accepted() {
  local i
  for i in $(seq 1 $((${2:-120} * 5))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $1" "$EDGE/_keyledger/auth")" = 200 ] && return 0
    sleep 0.2
  done
  echo "the edge never accepted the benchmark key" >&2
  return 1
}

# tree_cpu_ticks PATTERN -> utime+stime (clock ticks) summed over every process whose command line
# contains PATTERN and all their descendants (the standalone JVM and its embedded PostgreSQL, whose
# postmaster is not the JVM's child once pg_ctl has exited).
tree_cpu_ticks() {
  local p
  for p in $(tree_pids "$1"); do
    # Fields after the ")" of the command name: utime is the 12th, stime the 13th.
    [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}'
  done | awk '{s += $1} END {print s + 0}'
}

# tree_pids PATTERN -> the pids tree_cpu_ticks sums, one a line.
tree_pids() {
  local roots pids p
  roots=$(pgrep -f -- "$1" || true)
  pids="$roots"
  for p in $roots; do pids="$pids $(descendants "$p")"; done
  echo "$pids" | tr ' ' '\n' | grep . | sort -u
}

descendants() {
  local c
  for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done
}
