#!/usr/bin/env bash
# The backup and restore drill (docs/runbooks/backup-restore.md, "Rehearse it"): cluster A is
# seeded (keys, a rename, a roll, revocations, traffic), its answers are recorded, more traffic
# is sent while its read side is stopped (so some usage exists only on keyledger.key-usage), it
# is backed up and taken down; cluster B starts empty in another directory, the backup is
# restored into it, and its answers are compared with A's: the same key list, history and usage
# (A's plus the uncounted traffic), the same keys refused by every edge. Exits 1 on a difference.
#
#   deploy/local-cluster/backup-drill.sh [WORK]     (default /tmp/keyledger-backup-drill)
#
# It starts and stops clusters itself (fixed ports: nothing else may run one meanwhile), e.g.
# (-o: the clusters' components do not inherit the lock)
#   flock -o -w 1800 /tmp/keyledger-cluster.lock deploy/local-cluster/backup-drill.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
CLUSTER="$HERE/cluster.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WORK=${1:-/tmp/keyledger-backup-drill}
# pg_dump must be of the server's major version or newer. The embedded PostgreSQL binaries that
# cluster.sh uses by default carry no pg_dump, so the drill runs both clusters on the packaged
# PostgreSQL (whose pg_dump it then uses), unless KEYLEDGER_PG_BIN says otherwise.
if [ -z "${KEYLEDGER_PG_BIN:-}" ]; then
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        [ -x "$dir/postgres" ] && [ -x "$dir/pg_dump" ] && { export KEYLEDGER_PG_BIN=$dir; break; }
    done
fi
rm -rf "$WORK"
mkdir -p "$WORK"
# DRILL_CLUSTER_A: run A in that directory (a cluster already up there is used as it is, with
# whatever data it holds besides the drill's own organization).
A=${DRILL_CLUSTER_A:-$WORK/cluster-a}
B="$WORK/cluster-b"
step() { printf '\n== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" "$HERE/BackupDrill.java" "$HERE/lib/ClusterHttp.java"
drill() { "$JAVA" -cp "$WORK/classes" BackupDrill "$1" "$WORK"; }
current=""
cleanup() { [ -n "$current" ] && KEYLEDGER_CLUSTER_DIR=$current "$CLUSTER" down >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "cluster A up ($A; cluster.sh up starts only what is not running)"
export KEYLEDGER_CLUSTER_DIR=$A
current=$A
"$CLUSTER" up
eval "$("$CLUSTER" env)"
step "seed"
drill seed
step "snapshot of A"
drill snapshot
step "read side stopped; traffic whose usage is only on keyledger.key-usage"
"$CLUSTER" stop query-1
"$CLUSTER" stop query-2
drill burst
sleep 5 # the edges' usage batches reach the broker
step "backup"
"$HERE/backup.sh" "$WORK/backup"
step "cluster A down"
"$CLUSTER" down
current=""

step "cluster B up, empty ($B)"
export KEYLEDGER_CLUSTER_DIR=$B
current=$B
"$CLUSTER" up
eval "$("$CLUSTER" env)"
step "restore"
"$HERE/restore.sh" "$WORK/backup"
step "compare B with A"
set +e
drill compare
status=$?
set -e
echo "before: $WORK/before.json  expected: $WORK/expected.json  after: $WORK/after.json"
step "cluster B down"
"$CLUSTER" down
current=""
exit $status
