#!/usr/bin/env bash
# Backs up a running local cluster (docs/runbooks/backup-restore.md):
#   - every database of its PostgreSQL (pg_dump -Fc of each, plus the roles), and
#   - the Kafka records that nothing can rebuild: the usage records of keyledger.key-usage after
#     the positions the usage tables had in that dump (counted nowhere yet), and the whole of
#     keyledger.audit-checkpoints (published chain heads, kept forever) when it exists.
# keyledger.key-events is rebuilt by the relay from the event store, and keyledger.active-keys by
# the projection from keyledger.key-events, so neither is copied.
#
#   deploy/local-cluster/backup.sh DEST       (DEST must not exist yet)
#
# Environment: KEYLEDGER_CLUSTER_DIR (as for cluster.sh), KEYLEDGER_PG_DUMP_BIN (a PostgreSQL bin
# directory with pg_dump/pg_dumpall of the server's major version or newer; default: the
# cluster's own binaries, else the newest /usr/lib/postgresql/*/bin, else the PATH).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
. "$HERE/lib/pgtools.sh"

DEST=${1:?usage: backup.sh DEST}
[ ! -e "$DEST" ] || { echo "backup.sh: $DEST exists already" >&2; exit 2; }
eval "$("$HERE/cluster.sh" env)"
pg_tools_init
kafka_tools_init

mkdir -p "$DEST/pg" "$DEST/kafka"
started=$(date -u +%FT%TZ)
echo "backup: PostgreSQL $PG_SERVER_VERSION at $PGHOST:$PGPORT with $PG_DUMP_BIN"
"$PG_DUMP_BIN/pg_dumpall" --globals-only --no-role-passwords -f "$DEST/pg/globals.sql"
databases=$(psql -d postgres -AtXc "select datname from pg_database where not datistemplate and datname <> 'postgres' order by 1")
for db in $databases; do
    "$PG_DUMP_BIN/pg_dump" -Fc -d "$db" -f "$DEST/pg/$db.dump"
    echo "backup: $db -> pg/$db.dump ($(du -h "$DEST/pg/$db.dump" | cut -f1))"
done

# The usage positions as of the dump (not as of now: the read side may have moved on since),
# read back from the dump itself, so the usage records copied are exactly those the dumped
# counters do not contain.
start=""
if [ -f "$DEST/pg/keyledger_query.dump" ]; then
    start=$("$PG_DUMP_BIN/pg_restore" --data-only --table=usage_offsets -f - "$DEST/pg/keyledger_query.dump" \
        | awk -F'\t' '/^COPY /{copy=1; next} /^\\\.$/{copy=0} copy && $1=="keyledger.key-usage" {printf "%s%s=%s", sep, $2, $3; sep=","}')
fi
echo "backup: keyledger.key-usage positions in the dump: ${start:-none (all records are unapplied)}"
"${KAFKA_TOOLS[@]}" dump "$KEYLEDGER_KAFKA_BOOTSTRAP" keyledger.key-usage "$DEST/kafka/keyledger.key-usage.tsv" "$start"
"${KAFKA_TOOLS[@]}" dump "$KEYLEDGER_KAFKA_BOOTSTRAP" keyledger.audit-checkpoints "$DEST/kafka/keyledger.audit-checkpoints.tsv"

{
    echo "keyledger backup"
    echo "started_at=$started"
    echo "finished_at=$(date -u +%FT%TZ)"
    echo "postgres_server=$PG_SERVER_VERSION"
    echo "databases=$(echo $databases)"
    echo "key_usage_positions=$start"
    echo "key_usage_records=$(wc -l <"$DEST/kafka/keyledger.key-usage.tsv")"
    echo "audit_checkpoint_records=$(wc -l <"$DEST/kafka/keyledger.audit-checkpoints.tsv")"
    echo "not_copied=keyledger.key-events (relay rebuilds it from the event store) keyledger.active-keys (projection rebuilds it)"
} >"$DEST/manifest.txt"
(cd "$DEST" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum >SHA256SUMS)
echo "backup: done in $DEST"
cat "$DEST/manifest.txt"
