# Shared by backup.sh and restore.sh: PostgreSQL client tools that can talk to the cluster's
# server, and the Kafka topic tool on the brokers' own client classpath. Source it after
# eval "$(cluster.sh env)".

# Sets PGHOST, PGPORT, PGUSER, PGPASSWORD, PG_SERVER_VERSION and PG_DUMP_BIN (pg_dump of the
# server's major version or newer: pg_dump refuses a newer server).
pg_tools_init() {
    local url=${KEYLEDGER_PG_URL#postgresql://}
    export PGUSER=${url%%:*}
    url=${url#*:}
    export PGPASSWORD=${url%%@*}
    url=${url#*@}
    export PGHOST=${url%%:*}
    url=${url#*:}
    export PGPORT=${url%%/*}
    PG_SERVER_VERSION=$(psql -d postgres -AtXc 'show server_version_num') \
        || { echo "PostgreSQL at $PGHOST:$PGPORT does not answer" >&2; exit 2; }
    local major=$((PG_SERVER_VERSION / 10000)) candidates=() dir
    [ -n "${KEYLEDGER_PG_DUMP_BIN:-}" ] && candidates+=("$KEYLEDGER_PG_DUMP_BIN")
    [ -s "$KEYLEDGER_CLUSTER_DIR/postgres/bin-dir" ] && candidates+=("$(cat "$KEYLEDGER_CLUSTER_DIR/postgres/bin-dir")")
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do candidates+=("$dir"); done
    command -v pg_dump >/dev/null && candidates+=("$(dirname "$(command -v pg_dump)")")
    PG_DUMP_BIN=""
    for dir in "${candidates[@]}"; do
        [ -x "$dir/pg_dump" ] && [ -x "$dir/pg_restore" ] && [ -x "$dir/pg_dumpall" ] || continue
        local v; v=$("$dir/pg_dump" --version | grep -oE '[0-9]+' | head -1)
        if [ "$v" -ge "$major" ]; then PG_DUMP_BIN=$dir; break; fi
    done
    if [ -z "$PG_DUMP_BIN" ]; then
        echo "no pg_dump of version $major or newer (server $PG_SERVER_VERSION); set KEYLEDGER_PG_DUMP_BIN," \
            "or run the cluster on the packaged PostgreSQL (KEYLEDGER_PG_BIN=/usr/lib/postgresql/N/bin)" >&2
        exit 2
    fi
}

# Sets KAFKA_TOOLS: the command line of KafkaTopics (dump | values | produce), compiled once.
kafka_tools_init() {
    local cp_file="$KEYLEDGER_CLUSTER_DIR/kafka/classpath.txt" classes="$KEYLEDGER_CLUSTER_DIR/kafka/tools-classes"
    [ -s "$cp_file" ] || { echo "no Kafka classpath at $cp_file (cluster.sh up writes it)" >&2; exit 2; }
    local cp; cp=$(cat "$cp_file")
    local here; here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    if [ ! -f "$classes/KafkaTopics.class" ] || [ "$here/KafkaTopics.java" -nt "$classes/KafkaTopics.class" ]; then
        "$JAVA_HOME/bin/javac" -nowarn -cp "$cp" -d "$classes" "$here/KafkaTopics.java"
    fi
    KAFKA_TOOLS=("$JAVA_HOME/bin/java" -Dlogback.configurationFile="$here/lib/logback-quiet.xml" -cp "$classes:$cp" KafkaTopics)
}
