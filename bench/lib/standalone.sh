# Shared helpers for benchmarks that run against the standalone. Source it, then call
# standalone_start (unless KEYLEDGER_USE_RUNNING=1) and standalone_stop in a trap.
# Everything listens on loopback; the data dir is a fresh temporary directory. STANDALONE_ARGS adds
# arguments (for example other ports: then set IDP, COMMANDS, QUERIES and EDGE to match).

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
IDP="${IDP:-http://127.0.0.1:8090}"
COMMANDS="${COMMANDS:-http://127.0.0.1:8081}"
QUERIES="${QUERIES:-http://127.0.0.1:8082}"
EDGE="${EDGE:-http://127.0.0.1:8080}"
STANDALONE_JAR="${STANDALONE_JAR:-standalone/target/keyledger-standalone.jar}"
STANDALONE_PID=""
STANDALONE_DIR=""

standalone_start() {
  if [ "${KEYLEDGER_USE_RUNNING:-0}" = "1" ]; then
    echo "using the running standalone"
    return
  fi
  if [ ! -f "$STANDALONE_JAR" ]; then
    echo "building $STANDALONE_JAR"
    ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package >/dev/null
  fi
  STANDALONE_DIR="$(mktemp -d /tmp/keyledger-bench.XXXXXX)"
  "$JAVA_HOME/bin/java" ${STANDALONE_JAVA_OPTS:--Xmx2g} -jar "$STANDALONE_JAR" \
    --keyledger.standalone.data-dir="$STANDALONE_DIR/data" ${STANDALONE_ARGS:-} >"$STANDALONE_DIR/standalone.log" 2>&1 &
  STANDALONE_PID=$!
  local waited=0
  until grep -q "Keyledger standalone ready" "$STANDALONE_DIR/standalone.log"; do
    if ! kill -0 "$STANDALONE_PID" 2>/dev/null || [ "$waited" -ge 240 ]; then
      echo "standalone did not become ready; last log lines:" >&2
      tail -40 "$STANDALONE_DIR/standalone.log" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "standalone ready after ${waited}s (log: $STANDALONE_DIR/standalone.log)"
}

standalone_stop() {
  if [ -n "$STANDALONE_PID" ] && kill -0 "$STANDALONE_PID" 2>/dev/null; then
    kill -TERM "$STANDALONE_PID"
    wait "$STANDALONE_PID" 2>/dev/null || true
  fi
  if [ -n "$STANDALONE_DIR" ] && [ "${KEEP_DATA:-0}" != "1" ]; then
    rm -rf "$STANDALONE_DIR"
  fi
}

# counted -> the usage the query-service has counted for KEY_ID (set by the caller), from key_usage
# in the standalone's PostgreSQL at PGPORT.
counted() {
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d keyledger_query -tA \
    -c "SELECT coalesce(sum(usage_count), 0) FROM key_usage WHERE key_id = '$KEY_ID'"
}

# wait_counted N -> waits (up to 120 s) until key_usage counts at least N requests for KEY_ID;
# prints the count reached and fails when it was not reached in time.
wait_counted() {
  local i c=0
  for i in $(seq 1 600); do
    c=$(counted)
    [ "$c" -ge "$1" ] && { echo "$c"; return 0; }
    sleep 0.2
  done
  echo "$c"
  return 1
}

# token SUBJECT ORGANIZATION_ID ROLE -> prints a JWT from the development identity provider.
token() {
  local org_field=""
  [ -n "$2" ] && org_field="\"organization_id\":\"$2\","
  curl -sf "$IDP/dev/token" -H 'Content-Type: application/json' \
    -d "{\"subject\":\"$1\",${org_field}\"roles\":[\"$3\"]}" | jq -r .access_token
}

# create_organization NAME PLAN ADMIN_TOKEN -> prints the organization id.
create_organization() {
  curl -sf "$COMMANDS/api/v1/organizations" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"plan\":\"$2\"}" | jq -r .id
}
