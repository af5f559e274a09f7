#!/usr/bin/env bash
# Fault suite for the local cluster (docs/reliability.md, "Fault suite"). Against a running
# `cluster.sh up`: steady load through lb (127.0.0.1:18000) with known keys, a revocation every few
# seconds probed on every edge directly, while an edge, a query-service, the command-service, a
# Kafka broker, PostgreSQL and Redis are in turn killed with SIGKILL and started again. Then it
# checks and prints the invariants (usage per key against the load generator's own count, deny
# delays against their bound, event store vs keyledger.key-events vs the projections, recovery)
# and exits non-zero when one fails. The load generator and checker is Chaos.java (JDK only, with
# lib/ClusterHttp.java, which BackupDrill.java shares).
#
#   deploy/local-cluster/chaos.sh [--write-docs]
#
# --write-docs replaces the results block of docs/reliability.md with this run's table.
# Settings (environment, defaults in Chaos.java): CHAOS_KEYS (12), CHAOS_CLIENTS (8), CHAOS_RATE
# (150 requests/s in all), CHAOS_REVOKE_EVERY_MS (3000), CHAOS_OUTAGE_S (20; per fault e.g.
# CHAOS_OUTAGE_S_POSTGRES=40), CHAOS_FAULTS (edge-2,query-1,command-1,kafka-2,postgres,redis),
# CHAOS_SETTLE_S (10), KEYLEDGER_CLUSTER_DIR (the cluster's, as for cluster.sh).
#
# Only one cluster may run on a machine; run the whole thing under a lock, for example (-o: the
# lock stays with flock, so the components the cluster starts do not inherit and keep it)
#   flock -o -w 1800 /tmp/keyledger-cluster.lock bash -c \
#     'deploy/local-cluster/cluster.sh up && deploy/local-cluster/chaos.sh; deploy/local-cluster/cluster.sh down'
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
CLUSTER="$HERE/cluster.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
WRITE_DOCS=0
[ "${1:-}" = --write-docs ] && WRITE_DOCS=1

die() { printf 'chaos.sh: %s\n' "$*" >&2; exit 2; }

[ -x "$JAVA" ] || die "no JDK at $JAVA_HOME"
command -v psql >/dev/null || die "psql is missing (apt-get install -y postgresql-client)"
eval "$("$CLUSTER" env)"
DIR=$KEYLEDGER_CLUSTER_DIR

# Everything the suite touches must be up before it starts.
down=$("$CLUSTER" status | awk '$1 ~ /^(kafka|postgres|redis|idp|upstream|command|query|edge|lb)/ && $4 != "up" {print $1}')
[ -z "$down" ] || die "not up: $(echo $down); start the cluster first (cluster.sh up)"

KAFKA_CP_FILE="$DIR/kafka/classpath.txt"
[ -s "$KAFKA_CP_FILE" ] || die "no Kafka classpath at $KAFKA_CP_FILE (cluster.sh up writes it)"
KAFKA_CP=$(cat "$KAFKA_CP_FILE")
OUT="$DIR/chaos"
mkdir -p "$OUT"
# Compiled once: the source launcher would compile it again on every call.
"$JAVA_HOME/bin/javac" -nowarn -cp "$KAFKA_CP" -d "$OUT/classes" "$HERE/KafkaTopics.java" || die "KafkaTopics.java does not compile"
TOPICS=("$JAVA" -Dlogback.configurationFile="$HERE/lib/logback-quiet.xml" -cp "$OUT/classes:$KAFKA_CP" KafkaTopics)
printf -v CHAOS_TOPIC_DUMP '%q ' "${TOPICS[@]}" values "$KEYLEDGER_KAFKA_BOOTSTRAP" keyledger.key-events "$OUT/key-events.values"
export CHAOS_TOPIC_DUMP="$CHAOS_TOPIC_DUMP >&2 && cat $(printf '%q' "$OUT/key-events.values")"

export CHAOS_CLUSTER_SH="$CLUSTER"
export CHAOS_EDGES=${KEYLEDGER_EDGE_URLS:-http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082}
export CHAOS_QUERIES=${KEYLEDGER_QUERY_URLS:-http://127.0.0.1:18182,http://127.0.0.1:18183}
export CHAOS_RESULTS="$OUT/results.md"
export PGPASSWORD=${PGPASSWORD:-postgres}
# PostgreSQL stays down long enough for the edges' 30 s staleness bound to pass (fail closed).
export CHAOS_OUTAGE_S_POSTGRES=${CHAOS_OUTAGE_S_POSTGRES:-40}

rm -f "$CHAOS_RESULTS" # a failed run must not leave an older run's results for --write-docs
echo "chaos: cluster at $DIR; output in $OUT (log $OUT/chaos.log)"
"$JAVA_HOME/bin/javac" -nowarn -d "$OUT/classes" "$HERE/Chaos.java" "$HERE/lib/ClusterHttp.java" || die "Chaos.java does not compile"
"$JAVA" -Xmx512m -cp "$OUT/classes" Chaos 2> >(tee "$OUT/chaos.log" >&2) | tee "$OUT/report.txt"
status=${PIPESTATUS[0]}

if [ "$WRITE_DOCS" = 1 ] && [ -s "$CHAOS_RESULTS" ]; then
    doc="$ROOT/docs/reliability.md"
    if grep -q '<!-- chaos-results:begin -->' "$doc"; then
        {
            sed '/<!-- chaos-results:begin -->/q' "$doc"
            echo
            echo "Exit status $status ($([ "$status" = 0 ] && echo 'every invariant held' || echo 'invariants failed, listed below the table')). Machine: $(nproc) cores, shared."
            echo
            cat "$CHAOS_RESULTS"
            if [ "$status" != 0 ]; then
                echo
                echo "Failed invariants:"
                echo
                sed -n '/^FAILED:/,$p' "$OUT/report.txt" | tail -n +2
            fi
            echo
            sed -n '/<!-- chaos-results:end -->/,$p' "$doc"
        } >"$doc.tmp" && mv "$doc.tmp" "$doc"
        echo "chaos: results written to docs/reliability.md"
    else
        echo "chaos: docs/reliability.md has no chaos-results markers; not written" >&2
    fi
fi
exit "$status"
