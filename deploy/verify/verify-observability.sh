#!/usr/bin/env bash
# Verifies deploy/: the Prometheus configuration and alert rules (promtool), the Grafana provisioning
# and dashboard JSON (structure, data source uids), and — against a real platform — that every PromQL
# expression of the dashboards and of the alert rules returns data and that every SQL query of the
# dashboards runs against the query-service's PostgreSQL schema.
#
# What it does, in order:
#   1. promtool check config / check rules / test rules; jq checks of the dashboards and provisioning.
#   2. Builds the standalone jar when it is missing (BUILD=1 forces a build), starts it on a temporary
#      data directory (REUSE_PLATFORM=1 uses one that is already running on the same ports instead).
#   3. Starts the Debian package's Prometheus on loopback with deploy/prometheus/prometheus.yml,
#      rewritten only for the test: 2 s scrape and evaluation interval, the ports of this run.
#   4. Drives traffic: organizations, databases, secret and public keys through the command-service;
#      accepted, 401, 403 and 429 requests through the edge (proxy and forward-auth); portal reads
#      on the query-service; a rename, a roll, a revocation (and waits until the edge denies it).
#   5. Waits a few scrape intervals, then sends every PromQL expression through Prometheus's
#      GET /api/v1/query. Each must succeed and return a non-empty result.
#      Dashboards: Grafana's $__rate_interval is replaced by RATE_WINDOW (default 1m, what Grafana
#      computes for a 15 s scrape interval), the template variables $job and $instance by what their
#      "All" stands for (the three Keyledger jobs, every instance). Any other $variable is an error
#      (the script would not know what Grafana substitutes).
#      Alert rules: read from Prometheus's own /api/v1/rules (so exactly what Prometheus loaded; the
#      count is checked against the file). Every rule must have evaluated with health "ok". An alert
#      expression is a condition (`signal > 30`), which is rightly empty on a healthy platform, so the
#      trailing top-level comparison with a number is stripped and the remaining signal must return
#      data. deploy/prometheus/rules/keyledger-alerts.yml keeps every rule in that shape.
#   6. Runs every SQL query of the dashboards (panel targets and data-source variables) with psql
#      against the run's keyledger_query database, after replacing Grafana's macros
#      ($__timeFilter(col), $__timeFrom(), $__timeTo(), $organization) with concrete values; any
#      error fails. Then the same queries run on the rows of deploy/verify/sql-fixture.sql (inserted
#      in a transaction that is rolled back) and their output is compared with
#      deploy/verify/sql-fixture-expectations.txt: the rotation, unused-key and top-keys panels must
#      show exactly the keys they are meant to.
#   7. Stops Prometheus and the standalone (SIGTERM, bounded wait, then SIGKILL) and removes the
#      temporary directory (kept when a check failed, or with KEEP_WORK=1).
# Exit status: 0 when every check passed, 1 otherwise.
#
# Settings (environment):
#   PORT_OFFSET=0        added to every port (platform and Prometheus), to run next to another standalone
#   PROMETHEUS_PORT      default 9090+PORT_OFFSET
#   RATE_WINDOW=1m       replaces $__rate_interval
#   BUILD=0|1            build the standalone even when the jar exists
#   REUSE_PLATFORM=0|1   do not start a standalone; use the one running on the (offset) ports
#   ALLOW_KNOWN_GAPS=0|1 expressions that use a metric listed in deploy/verify/known-gaps.txt are
#                        reported as GAP instead of failing
#   KEEP_WORK=0|1        keep the temporary directory (logs, Prometheus data)
#   QUERY_DB             database of the SQL checks, default keyledger_query
#   JAVA_HOME            default /usr/lib/jvm/temurin-25-jdk-amd64
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEPLOY="$ROOT/deploy"
VERIFY="$DEPLOY/verify"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
O=${PORT_OFFSET:-0}
RATE_WINDOW=${RATE_WINDOW:-1m}
JAR=${KEYLEDGER_STANDALONE_JAR:-$ROOT/standalone/target/keyledger-standalone.jar}

EDGE_PORT=$((8080 + O)); EDGE_MGMT=$((9080 + O))
CMD_PORT=$((8081 + O)); CMD_MGMT=$((9081 + O))
QRY_PORT=$((8082 + O)); QRY_MGMT=$((9082 + O))
PORTAL_PORT=$((8083 + O)); PORTAL_MGMT=$((9083 + O))
IDP_PORT=$((8090 + O)); UPSTREAM_PORT=$((8099 + O))
KAFKA_PORT=$((9092 + O)); KAFKA_CONTROLLER_PORT=$((9093 + O))
PG_PORT=$((15432 + O))
PROM_PORT=${PROMETHEUS_PORT:-$((9090 + O))}
EDGE=http://127.0.0.1:$EDGE_PORT
CMD=http://127.0.0.1:$CMD_PORT
QRY=http://127.0.0.1:$QRY_PORT
IDP=http://127.0.0.1:$IDP_PORT
PROM=http://127.0.0.1:$PROM_PORT

WORK=$(mktemp -d /tmp/keyledger-observability.XXXXXX)
STANDALONE_PID=
PROMETHEUS_PID=
PASSED=0
FAILED=0
GAPS=0
FAILURES=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '      %s\n' "$2"; return 0; }
die() { printf 'ERROR %s\n' "$*" >&2; exit 1; }

# Stops a process we started: SIGTERM, up to $2 seconds, then SIGKILL.
stop_pid() {
    local pid=$1 wait_s=$2 i
    [ -z "$pid" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < wait_s * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null
    return 1
}

cleanup() {
    local rc=$?
    if [ -n "$PROMETHEUS_PID" ]; then stop_pid "$PROMETHEUS_PID" 10; fi
    if [ -n "$STANDALONE_PID" ]; then
        if ! stop_pid "$STANDALONE_PID" 60; then
            # A killed standalone leaves its embedded PostgreSQL running: stop that one too.
            local pm="$WORK/data/postgres/postmaster.pid"
            [ -f "$pm" ] && stop_pid "$(head -1 "$pm")" 10
        fi
    fi
    if [ "${KEEP_WORK:-0}" = 1 ] || [ "$rc" != 0 ]; then
        echo "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in prometheus promtool jq curl psql; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y prometheus jq curl postgresql-client)"
done
[ -x "$JAVA_HOME/bin/java" ] || die "no java at $JAVA_HOME"

RULES_FILE="$DEPLOY/prometheus/rules/keyledger-alerts.yml"
DASHBOARDS=("$DEPLOY"/grafana/dashboards/*.json)
PROM_UID=keyledger-prometheus
PG_UID=keyledger-query-postgres

# ---------------------------------------------------------------------------------------------
log "1. static checks"
if out=$(promtool check config "$DEPLOY/prometheus/prometheus.yml" 2>&1); then
    pass "promtool check config deploy/prometheus/prometheus.yml"
else
    fail "promtool check config deploy/prometheus/prometheus.yml" "$out"
fi
for rules in "$DEPLOY"/prometheus/rules/*.yml; do
    if out=$(promtool check rules "$rules" 2>&1); then
        pass "promtool check rules ${rules#$ROOT/}"
    else
        fail "promtool check rules ${rules#$ROOT/}" "$out"
    fi
done
for tests in "$DEPLOY"/prometheus/tests/*.yml; do
    [ -e "$tests" ] || continue
    if out=$(cd "$(dirname "$tests")" && promtool test rules "$(basename "$tests")" 2>&1); then
        pass "promtool test rules ${tests#$ROOT/}"
    else
        fail "promtool test rules ${tests#$ROOT/}" "$out"
    fi
done

while read -r runbook; do
    if [ -f "$ROOT/$runbook" ]; then
        pass "runbook $runbook exists"
    else
        fail "runbook $runbook exists" "named by a runbook_url annotation in ${RULES_FILE#$ROOT/}"
    fi
done < <(sed -nE 's/^\s*runbook_url:\s*"?([^"]+)"?\s*$/\1/p' "$RULES_FILE")
if [ "$(grep -cE '^\s*- alert:' "$RULES_FILE")" = "$(grep -cE '^\s*runbook_url:' "$RULES_FILE")" ]; then
    pass "every alert has a runbook_url"
else
    fail "every alert has a runbook_url"
fi

provisioned_uids=$(grep -E '^\s+uid:' "$DEPLOY/grafana/provisioning/datasources/keyledger.yml" | awk '{print $2}' | sort | tr '\n' ' ')
if [ "$provisioned_uids" = "$PROM_UID $PG_UID " ]; then
    pass "provisioned data source uids: $provisioned_uids"
else
    fail "provisioned data source uids are '$provisioned_uids', expected '$PROM_UID $PG_UID'"
fi
for dashboard in "${DASHBOARDS[@]}"; do
    name=$(basename "$dashboard" .json)
    # Every structural rule, as one jq program that prints what is wrong (nothing when all is well).
    problems=$(jq -r --arg prom "$PROM_UID" --arg pg "$PG_UID" '
        def known: . == $prom or . == $pg;
        [
          (if (.uid | type) != "string" or (.uid | length) == 0 or (.uid | length) > 40 then "uid missing or longer than 40" else empty end),
          (if (.title | type) != "string" then "title missing" else empty end),
          (if (.schemaVersion | type) != "number" then "schemaVersion missing" else empty end),
          (if (.panels | type) != "array" or (.panels | length) == 0 then "no panels" else empty end),
          (if ([.panels[].id] | length) != ([.panels[].id] | unique | length) then "panel ids not unique" else empty end),
          (.panels[] | select(.type != "row") |
             if (.gridPos | type) != "object" then "panel \(.id) has no gridPos"
             elif (.datasource.uid | known | not) then "panel \(.id) \(.title): data source uid \(.datasource.uid) is not provisioned"
             elif ((.targets // []) | length) == 0 then "panel \(.id) \(.title): no targets"
             else (.targets[] |
                 if (.datasource.uid | known | not) then "panel \(.title) target \(.refId): data source uid \(.datasource.uid) is not provisioned"
                 elif .datasource.uid == $prom and ((.expr // "") | length) == 0 then "panel \(.title) target \(.refId): Prometheus target without expr"
                 elif .datasource.uid == $pg and ((.rawSql // "") | length) == 0 then "panel \(.title) target \(.refId): PostgreSQL target without rawSql"
                 elif (.refId | type) != "string" then "panel \(.title): target without refId"
                 else empty end)
             end),
          (.templating.list[]? | select(.type == "query") |
             if (.datasource.uid | known | not) then "variable \(.name): data source uid \(.datasource.uid) is not provisioned" else empty end)
        ] | .[]' "$dashboard" 2>&1)
    if [ -z "$problems" ]; then
        pass "dashboard $name: valid Grafana dashboard JSON ($(jq '[.panels[] | select(.type != "row")] | length' "$dashboard") panels, schemaVersion $(jq .schemaVersion "$dashboard"))"
    else
        fail "dashboard $name: structure" "$problems"
    fi
done
if grep -q 'path: /var/lib/grafana/dashboards/keyledger' "$DEPLOY/grafana/provisioning/dashboards/keyledger.yml"; then
    pass "dashboard provider points at /var/lib/grafana/dashboards/keyledger"
else
    fail "dashboard provider path changed; update docs/observability.md and this check"
fi

# ---------------------------------------------------------------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${REUSE_PLATFORM:-0}" = 1 ]; then
    log "2. using the platform already running (offset $O)"
    for port in $EDGE_MGMT $CMD_MGMT $QRY_MGMT $IDP_PORT $PG_PORT; do
        port_busy "$port" || die "REUSE_PLATFORM=1 but nothing listens on port $port"
    done
else
    log "2. standalone"
    if [ ! -f "$JAR" ] || [ "${BUILD:-0}" = 1 ]; then
        log "building the standalone jar"
        (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl standalone -am install) \
            > "$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; die "the standalone build failed (log above)"; }
    fi
    for port in $EDGE_PORT $EDGE_MGMT $CMD_PORT $CMD_MGMT $QRY_PORT $QRY_MGMT $PORTAL_PORT $PORTAL_MGMT \
        $IDP_PORT $UPSTREAM_PORT $KAFKA_PORT $KAFKA_CONTROLLER_PORT $PG_PORT $PROM_PORT; do
        port_busy "$port" && die "port $port is in use (another standalone?); set PORT_OFFSET, e.g. PORT_OFFSET=10000"
    done
    "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR" \
        --keyledger.standalone.data-dir="$WORK/data" \
        --keyledger.standalone.postgres.port=$PG_PORT \
        --keyledger.standalone.kafka.port=$KAFKA_PORT \
        --keyledger.standalone.kafka.controller-port=$KAFKA_CONTROLLER_PORT \
        --keyledger.standalone.idp.port=$IDP_PORT \
        --keyledger.standalone.upstream.port=$UPSTREAM_PORT \
        --keyledger.standalone.services.auth-edge.port=$EDGE_PORT \
        --keyledger.standalone.services.auth-edge.management-port=$EDGE_MGMT \
        --keyledger.standalone.services.command-service.port=$CMD_PORT \
        --keyledger.standalone.services.command-service.management-port=$CMD_MGMT \
        --keyledger.standalone.services.query-service.port=$QRY_PORT \
        --keyledger.standalone.services.query-service.management-port=$QRY_MGMT \
        --keyledger.standalone.services.portal.port=$PORTAL_PORT \
        --keyledger.standalone.services.portal.management-port=$PORTAL_MGMT \
        > "$WORK/standalone.log" 2>&1 &
    STANDALONE_PID=$!
    started=$(date +%s)
    until grep -q '^Keyledger standalone ready' "$WORK/standalone.log"; do
        kill -0 "$STANDALONE_PID" 2>/dev/null || { tail -40 "$WORK/standalone.log"; die "the standalone exited while starting"; }
        [ $(($(date +%s) - started)) -gt 300 ] && { tail -40 "$WORK/standalone.log"; die "the standalone was not ready after 300 s"; }
        sleep 1
    done
    log "standalone ready after $(($(date +%s) - started)) s (pid $STANDALONE_PID)"
    if grep -q 'is not part of this build' "$WORK/standalone.log"; then
        fail "standalone runs every service" "$(grep 'is not part of this build' "$WORK/standalone.log" | sed 's/.*: //')"
    fi
fi
for pair in auth-edge:$EDGE_MGMT command-service:$CMD_MGMT query-service:$QRY_MGMT; do
    if curl -sf -o /dev/null "http://127.0.0.1:${pair#*:}/actuator/prometheus"; then
        pass "${pair%%:*} serves /actuator/prometheus on management port ${pair#*:}"
    else
        fail "${pair%%:*} serves /actuator/prometheus on management port ${pair#*:}"
    fi
done

# ---------------------------------------------------------------------------------------------
log "3. Prometheus on 127.0.0.1:$PROM_PORT"
mkdir -p "$WORK/prometheus/rules" "$WORK/prometheus-data"
cp "$DEPLOY"/prometheus/rules/*.yml "$WORK/prometheus/rules/"
# The deployed file, with only what a test needs changed: fast intervals and this run's ports.
sed -E \
    -e 's/^(\s*)scrape_interval:.*/\1scrape_interval: 2s/' \
    -e 's/^(\s*)evaluation_interval:.*/\1evaluation_interval: 2s/' \
    -e 's/^(\s*)scrape_timeout:.*/\1scrape_timeout: 2s/' \
    -e "s/localhost:9080/127.0.0.1:$EDGE_MGMT/; s/localhost:9081/127.0.0.1:$CMD_MGMT/; s/localhost:9082/127.0.0.1:$QRY_MGMT/" \
    "$DEPLOY/prometheus/prometheus.yml" > "$WORK/prometheus/prometheus.yml"
promtool check config "$WORK/prometheus/prometheus.yml" > "$WORK/promtool-test-config.log" 2>&1 \
    || { cat "$WORK/promtool-test-config.log"; die "the rewritten test configuration is invalid"; }
prometheus --config.file="$WORK/prometheus/prometheus.yml" \
    --storage.tsdb.path="$WORK/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" \
    > "$WORK/prometheus.log" 2>&1 &
PROMETHEUS_PID=$!
for ((i = 0; ; i++)); do
    curl -sf -o /dev/null "$PROM/-/ready" && break
    kill -0 "$PROMETHEUS_PID" 2>/dev/null || { tail -20 "$WORK/prometheus.log"; die "Prometheus exited"; }
    [ $i -gt 60 ] && die "Prometheus not ready after 30 s"
    sleep 0.5
done
for ((i = 0; ; i++)); do
    up=$(curl -s "$PROM/api/v1/targets?state=active" | jq '[.data.activeTargets[] | select(.health == "up")] | length')
    [ "${up:-0}" -ge 3 ] && break
    if [ $i -gt 30 ]; then
        curl -s "$PROM/api/v1/targets?state=active" | jq -r '.data.activeTargets[] | "\(.labels.job) \(.health) \(.lastError)"'
        break
    fi
    sleep 1
done
targets_up=$(curl -s "$PROM/api/v1/targets?state=active" | jq -r '[.data.activeTargets[] | select(.health == "up") | .labels.job] | sort | join(",")')
if [ "$targets_up" = "auth-edge,command-service,query-service" ]; then
    pass "Prometheus scrapes all three management ports ($targets_up)"
else
    fail "Prometheus scrapes all three management ports" "up: '$targets_up'"
fi

# ---------------------------------------------------------------------------------------------
log "4. traffic"
# shellcheck source=deploy/verify/traffic.sh
source "$VERIFY/traffic.sh"
drive_traffic || fail "traffic" "see the lines above"

# Three scrape and evaluation intervals, so the last requests are in Prometheus and every rule has run.
sleep 6
for ((i = 0; ; i++)); do
    pending=$(curl -s "$PROM/api/v1/rules" | jq '[.data.groups[].rules[] | select(.lastEvaluation == null or (.lastEvaluation | startswith("0001")))] | length')
    [ "${pending:-1}" = 0 ] && break
    [ $i -gt 20 ] && break
    sleep 1
done

# ---------------------------------------------------------------------------------------------
log "5. PromQL"
declare -A GAP_REASON=()
if [ -f "$VERIFY/known-gaps.txt" ]; then
    while IFS=$'\t' read -r metric reason; do
        [[ -z "$metric" || "$metric" == \#* ]] && continue
        GAP_REASON[$metric]=$reason
    done < "$VERIFY/known-gaps.txt"
fi

# Prints why an expression failed, or nothing when it returned data.
query_problem() {
    local expr=$1 answer
    answer=$(curl -s -G --max-time 20 "$PROM/api/v1/query" --data-urlencode "query=$expr") || { echo "no answer from Prometheus"; return; }
    jq -r '
        if .status != "success" then "error: \(.errorType): \(.error)"
        elif .data.resultType == "scalar" or .data.resultType == "string" then empty
        elif (.data.result | length) == 0 then "empty result"
        else empty end' <<<"$answer"
}

check_expr() {
    local label=$1 expr=$2 problem metric gap=
    problem=$(query_problem "$expr")
    if [ -z "$problem" ]; then
        pass "$label"
        return
    fi
    for metric in "${!GAP_REASON[@]}"; do
        if [[ "$expr" == *"$metric"* ]]; then gap="$metric: ${GAP_REASON[$metric]}"; fi
    done
    if [ -n "$gap" ] && [ "${ALLOW_KNOWN_GAPS:-0}" = 1 ]; then
        GAPS=$((GAPS + 1))
        printf 'GAP   %s\n      %s (known gap: %s)\n' "$label" "$problem" "$gap"
    elif [ -n "$gap" ]; then
        fail "$label" "$problem (known gap: $gap) :: $expr"
    else
        fail "$label" "$problem :: $expr"
    fi
}

dashboard_exprs=0
for dashboard in "${DASHBOARDS[@]}"; do
    name=$(basename "$dashboard" .json)
    while read -r record; do
        title=$(jq -r '.[0]' <<<"$record"); ref=$(jq -r '.[1]' <<<"$record"); expr=$(jq -r '.[2]' <<<"$record")
        expr=${expr//\$__rate_interval/$RATE_WINDOW}
        expr=${expr//\$job/auth-edge|command-service|query-service}
        expr=${expr//\$instance/.+}
        dashboard_exprs=$((dashboard_exprs + 1))
        if [[ "$expr" == *'$'* ]]; then
            fail "[$name] $title/$ref" "uses a Grafana variable this script cannot substitute :: $expr"
            continue
        fi
        check_expr "[$name] $title/$ref" "$expr"
    done < <(jq -r '.panels[] | select(.type != "row") | .title as $t | (.targets // [])[] | select(.expr != null) | [$t, .refId, .expr]' -c "$dashboard")
done

rules_json=$(curl -s "$PROM/api/v1/rules")
in_file=$(grep -cE '^\s*- (alert|record):' "$RULES_FILE")
loaded=$(jq '[.data.groups[].rules[]] | length' <<<"$rules_json")
if [ "$in_file" = "$loaded" ]; then
    pass "Prometheus loaded all $loaded rules of ${RULES_FILE#$ROOT/}"
else
    fail "Prometheus loaded all rules" "$loaded loaded, $in_file in ${RULES_FILE#$ROOT/}"
fi
alert_exprs=0
while read -r record; do
    name=$(jq -r '.[0]' <<<"$record"); health=$(jq -r '.[1]' <<<"$record")
    last_error=$(jq -r '.[2]' <<<"$record"); query=$(jq -r '.[3]' <<<"$record")
    alert_exprs=$((alert_exprs + 1))
    if [ "$health" = ok ]; then
        pass "[alert $name] evaluates (health ok)"
    else
        fail "[alert $name] evaluates" "health $health: $last_error"
    fi
    # The signal: the expression without its trailing top-level comparison with a number.
    signal=$(sed -E 's/[[:space:]]*(==|!=|>=|<=|>|<)[[:space:]]*(bool[[:space:]]+)?-?[0-9.]+([eE][-+]?[0-9]+)?[[:space:]]*$//' <<<"$query")
    if [ "$signal" = "$query" ]; then
        fail "[alert $name] has the shape '<signal> <comparison> <number>'" "$query"
        continue
    fi
    check_expr "[alert $name] signal returns data" "$signal"
done < <(jq -c '.data.groups[].rules[] | [.name, .health, (.lastError // ""), .query]' <<<"$rules_json")

# ---------------------------------------------------------------------------------------------
log "6. SQL"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${QUERY_DB:-keyledger_query}")
export PGPASSWORD=${PGPASSWORD:-postgres}
SQL_FROM=$(date -u -d '30 days ago' '+%Y-%m-%dT%H:%M:%SZ')
SQL_TO=$(date -u -d '1 minute' '+%Y-%m-%dT%H:%M:%SZ')
SQL_ORG=${TRAFFIC_ORG_ID:-}
if [ -z "$SQL_ORG" ]; then
    SQL_ORG=$("${PSQL[@]}" -At -c "SELECT id FROM organizations ORDER BY created_at DESC LIMIT 1" 2>/dev/null)
fi

# Replaces the Grafana macros and variables the dashboards use with values of this run.
substitute_sql() {
    sed -E \
        -e "s/\\\$__timeFilter\\(([^)]*)\\)/(\\1 BETWEEN '$SQL_FROM'::timestamptz AND '$SQL_TO'::timestamptz)/g" \
        -e "s/\\\$__timeFrom\\(\\)/'$SQL_FROM'::timestamptz/g" \
        -e "s/\\\$__timeTo\\(\\)/'$SQL_TO'::timestamptz/g" \
        -e "s/\\\$\\{organization\\}|\\\$organization\\b/${SQL_ORG}/g"
}

sql_queries=0
for dashboard in "${DASHBOARDS[@]}"; do
    name=$(basename "$dashboard" .json)
    while read -r record; do
        title=$(jq -r '.[0]' <<<"$record"); ref=$(jq -r '.[1]' <<<"$record")
        sql=$(jq -r '.[2]' <<<"$record" | substitute_sql)
        sql_queries=$((sql_queries + 1))
        if [[ "$sql" == *'$'* ]]; then
            fail "[$name] SQL $title/$ref" "uses a Grafana macro or variable this script cannot substitute"
            continue
        fi
        if out=$("${PSQL[@]}" -At -c "$sql" 2>&1); then
            rows=$(grep -c . <<<"$out")
            pass "[$name] SQL $title/$ref ($rows rows)"
        else
            fail "[$name] SQL $title/$ref" "$out"
        fi
    done < <(jq -c --arg pg "$PG_UID" '
        (.templating.list[]? | select(.datasource.uid == $pg) | ["variable " + .name, "query", (.query | if type == "object" then .rawSql else . end)]),
        (.panels[] | select(.type != "row") | .title as $t | (.targets // [])[] | select(.rawSql != null) | [$t, .refId, .rawSql])' "$dashboard")
done

# Meaning, not only syntax: inside one transaction that is rolled back, insert the rows of
# sql-fixture.sql (an organization with keys of known ages and usage), run every dashboard query of
# that organization, and compare each panel's rows with sql-fixture-expectations.txt.
if [ -f "$VERIFY/sql-fixture.sql" ]; then
    fixture_org=$(sed -nE "s/^-- organization: (org_[0-9A-Za-z]+)$/\1/p" "$VERIFY/sql-fixture.sql")
    {
        echo '\set ON_ERROR_STOP 1'
        echo 'BEGIN;'
        cat "$VERIFY/sql-fixture.sql"
        for dashboard in "${DASHBOARDS[@]}"; do
            jq -c --arg pg "$PG_UID" '.panels[] | select(.type != "row") | .title as $t | (.targets // [])[] | select(.rawSql != null) | [$t, .rawSql]' "$dashboard" |
                while read -r record; do
                    echo "\\echo '@@ $(jq -r '.[0]' <<<"$record")'"
                    jq -r '.[1]' <<<"$record" | SQL_ORG=$fixture_org substitute_sql
                    echo ';'
                done
        done
        echo 'ROLLBACK;'
    } > "$WORK/sql-fixture-run.sql"
    if out=$("${PSQL[@]}" -At -F ' | ' -f "$WORK/sql-fixture-run.sql" 2>&1); then
        echo "$out" > "$WORK/sql-fixture-output.txt"
        while IFS=$'\t' read -r panel must must_not; do
            [[ -z "$panel" || "$panel" == \#* ]] && continue
            rows=$(awk -v p="@@ $panel" '$0 == p {on = 1; next} /^@@ / {on = 0} on' "$WORK/sql-fixture-output.txt")
            if [ -n "$must" ] && ! grep -qE -- "$must" <<<"$rows"; then
                fail "[fixture] $panel shows /$must/" "rows: $(tr '\n' ';' <<<"$rows")"
            elif [ -n "$must_not" ] && grep -qE -- "$must_not" <<<"$rows"; then
                fail "[fixture] $panel hides /$must_not/" "rows: $(tr '\n' ';' <<<"$rows")"
            else
                pass "[fixture] $panel: shows /$must/${must_not:+, hides /$must_not/}"
            fi
        done < "$VERIFY/sql-fixture-expectations.txt"
    else
        fail "SQL fixture run (deploy/verify/sql-fixture.sql)" "$out"
    fi
fi

# ---------------------------------------------------------------------------------------------
echo
echo "PromQL expressions checked: $dashboard_exprs from dashboards, $alert_exprs alert rules"
echo "SQL queries checked: $sql_queries"
echo "checks passed: $PASSED, failed: $FAILED, known gaps allowed: $GAPS"
if [ "$FAILED" -gt 0 ]; then
    printf 'failed:\n'
    printf '  - %s\n' "${FAILURES[@]}"
    exit 1
fi
exit 0
