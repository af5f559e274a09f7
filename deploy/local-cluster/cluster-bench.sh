#!/usr/bin/env bash
# Benchmarks of a running local cluster (docs/local-cluster.md, "Benchmarks"); ClusterBench.java
# (JDK only, with lib/ClusterHttp.java) measures, this script orders the phases:
#   revoke-broker-down  kafka-2 killed (SIGKILL), then revoke answer -> first 401 through lb and on
#                       every edge, p50/p99; kafka-2 started again
#   usage-ingest        requests through lb with the read side on query-1 and query-2; how fast they
#                       are all counted and whether every key's count is exact
#   edge-load           key checks on edge-1 directly, requests/s and p50/p99, once per edge setting:
#                       the spool with fsync (default), the spool without fsync, usage off
#                       (edge-1 is restarted for each, then with the default again)
# Every result line carries the machine's load average; a phase that measured nothing fails.
#
#   deploy/local-cluster/cluster-bench.sh        (under the cluster lock, e.g. flock -o LOCK ...)
# Settings: BENCH_PHASES ("revoke-broker-down usage-ingest edge-load"), BENCH_REVOCATIONS (40),
# BENCH_REQUESTS (20000), BENCH_EDGE_SECONDS (20), BENCH_CLIENTS (8).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/deploy/local-cluster"
CLUSTER="$HERE/cluster.sh"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
eval "$("$CLUSTER" env)"
export BENCH_CLUSTER_SH="$CLUSTER"
OUT="$KEYLEDGER_CLUSTER_DIR/bench"
mkdir -p "$OUT"
"$JAVA_HOME/bin/javac" -nowarn -d "$OUT/classes" "$HERE/ClusterBench.java" "$HERE/lib/ClusterHttp.java" || exit 2
bench() { "$JAVA_HOME/bin/java" -cp "$OUT/classes" ClusterBench "$@"; }

status=0
for phase in ${BENCH_PHASES:-revoke-broker-down usage-ingest edge-load}; do
    echo "== $(date -u +%H:%M:%S) $phase (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    case $phase in
        revoke-broker-down) bench revoke-broker-down "${BENCH_REVOCATIONS:-40}" || status=1 ;;
        usage-ingest) bench usage-ingest "${BENCH_REQUESTS:-20000}" || status=1 ;;
        edge-load)
            seconds=${BENCH_EDGE_SECONDS:-20}
            bench edge-load "spool-fsync-on" "$seconds" || status=1
            for setting in "spool-fsync-off:-Dkeyledger.usage.spool.fsync=false" "usage-off:-Dkeyledger.usage.enabled=false"; do
                "$CLUSTER" stop edge-1 >/dev/null
                KEYLEDGER_CLUSTER_JAVA_OPTS="${setting#*:}" "$CLUSTER" start edge-1 >/dev/null || { status=1; continue; }
                bench edge-load "${setting%%:*}" "$seconds" || status=1
            done
            "$CLUSTER" stop edge-1 >/dev/null
            "$CLUSTER" start edge-1 >/dev/null || status=1 ;;
        *) echo "unknown phase $phase" >&2; status=2 ;;
    esac
done
exit $status
