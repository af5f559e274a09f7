#!/usr/bin/env bash
# Restores a backup of backup.sh into a FRESH local cluster (`cluster.sh up` on an empty
# KEYLEDGER_CLUSTER_DIR; docs/runbooks/backup-restore.md):
#   1. stops the services (portal, edges, query-services, command-service); infrastructure stays;
#   2. keyledger_command (the event store, the source of truth) is restored whole, and the relay's
#      token is removed, so the relay publishes every stored event again to keyledger.key-events;
#   3. keyledger_query keeps the schema its fresh query-service created; only what no topic can
#      rebuild is restored into it: the usage counters (key_usage and its minute/hour/day buckets).
#      Its projections are rebuilt from keyledger.key-events, which republishes keyledger.active-keys;
#      usage positions start at the new topic's beginning;
#   4. any other database is restored whole;
#   5. the usage records that were not yet counted, and keyledger.audit-checkpoints, are produced
#      again (same partition, key, headers and order);
#   6. starts the services again and waits until they are healthy.
#
#   deploy/local-cluster/restore.sh SRC [--force]    (--force: even if the event store is not empty)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
CLUSTER="$HERE/cluster.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
. "$HERE/lib/pgtools.sh"

SRC=${1:?usage: restore.sh SRC [--force]}
FORCE=${2:-}
[ -f "$SRC/manifest.txt" ] || { echo "restore.sh: $SRC has no manifest.txt" >&2; exit 2; }
(cd "$SRC" && sha256sum --quiet -c SHA256SUMS) || { echo "restore.sh: $SRC fails its checksums" >&2; exit 2; }
eval "$("$CLUSTER" env)"
pg_tools_init
kafka_tools_init
# Tables of keyledger_query that are not derived from keyledger.key-events.
USAGE_TABLES=${KEYLEDGER_RESTORE_QUERY_TABLES:-key_usage key_usage_minutes key_usage_hours key_usage_days}
SERVICES=(portal edge-1 edge-2 edge-3 query-1 query-2 command-1)

events=$(psql -d keyledger_command -AtXc 'select count(*) from domainevententry' 2>/dev/null || echo 0)
if [ "$events" != 0 ] && [ "$FORCE" != --force ]; then
    echo "restore.sh: the cluster's event store holds $events events; restore into a fresh cluster (or --force)" >&2
    exit 2
fi

echo "restore: stopping the services"
for name in "${SERVICES[@]}"; do "$CLUSTER" stop "$name" >/dev/null; done

echo "restore: roles"
psql -q -d postgres -v ON_ERROR_STOP=0 -f "$SRC/pg/globals.sql" >/dev/null 2>&1 || true

for dump in "$SRC"/pg/*.dump; do
    db=$(basename "$dump" .dump)
    case $db in
        keyledger_query)
            echo "restore: $db: usage counters only ($USAGE_TABLES); the rest is rebuilt from the topics"
            tables=()
            for t in $USAGE_TABLES; do tables+=("--table=$t"); done
            psql -q -d "$db" -v ON_ERROR_STOP=1 -c "truncate $(echo $USAGE_TABLES | tr ' ' ','); delete from usage_offsets"
            "$PG_DUMP_BIN/pg_restore" --data-only --single-transaction --exit-on-error -d "$db" "${tables[@]}" "$dump"
            ;;
        *)
            echo "restore: $db: whole database"
            psql -q -d postgres -v ON_ERROR_STOP=1 -c "drop database if exists $db with (force)" -c "create database $db"
            "$PG_DUMP_BIN/pg_restore" --single-transaction --exit-on-error --no-owner -d "$db" "$dump"
            if [ "$db" = keyledger_command ]; then
                # The relay starts again from the first stored event: the new cluster's
                # keyledger.key-events is empty and the event store is the source of truth.
                psql -q -d "$db" -v ON_ERROR_STOP=1 -c "delete from tokenentry where processorname = 'kafka-relay'"
            fi
            ;;
    esac
done

for topic in keyledger.key-usage keyledger.audit-checkpoints; do
    file="$SRC/kafka/$topic.tsv"
    if [ -s "$file" ]; then
        echo "restore: $topic: $(wc -l <"$file") records"
        "${KAFKA_TOOLS[@]}" produce "$KEYLEDGER_KAFKA_BOOTSTRAP" "$topic" "$file"
    fi
done

echo "restore: starting the services"
"$CLUSTER" start command-1
"$CLUSTER" start query-1 query-2
# The edges start only once the projection holds every stored event: an edge that read the
# changelog half-way through the replay could hold a key whose revocation is not applied yet.
echo "restore: waiting for the projection to apply every stored event"
store="select aggregateidentifier || ' ' || max(sequencenumber) from domainevententry group by aggregateidentifier order by 1"
projected="select id || ' ' || last_sequence from (select id, last_sequence from organizations union all
  select id, last_sequence from databases union all select id, last_sequence from api_keys) p order by 1"
for ((i = 0; ; i++)); do
    if [ "$(psql -d keyledger_command -AtXc "$store")" = "$(psql -d keyledger_query -AtXc "$projected" 2>/dev/null)" ]; then
        echo "restore: projection complete after ${i} s"
        break
    fi
    [ "$i" -lt "${KEYLEDGER_RESTORE_TIMEOUT:-600}" ] || { echo "restore.sh: the projection did not catch up" >&2; exit 1; }
    sleep 1
done
"$CLUSTER" start edge-1 edge-2 edge-3
"$CLUSTER" start portal
echo "restore: done; the read side catches up from keyledger.key-events (see the runbook's checks)"
