#!/usr/bin/env bash
# Key issuance over HTTP against the standalone: throughput and p50/p99 latency of
# POST /api/v1/organizations/{org}/api-keys (a secret key per request: JWT check, command, event
# append, directory update, relay to Kafka running at the same time).
#
# Usage: bench/issue-keys.sh [DURATION] [CONNECTIONS] [THREADS]   (defaults 30s 8 2)
# ORGS=N (default 1) issues into N organizations round robin instead of one: an organization's
# events are numbered in its write transactions (its audit chain, decision 0012), so one
# organization's issuance is serial, at most one durable commit at a time (docs/benchmarks.md).
# Starts the standalone on a temporary data dir (set KEYLEDGER_USE_RUNNING=1 to use a running one),
# warms up for WARMUP (default 10s; 0 skips it), measures with wrk, then checks the event store
# holds one issued event per 201.
# Needs wrk, jq, curl and psql (Debian packages). PGPORT (default 15432) is the standalone's
# PostgreSQL port, for a standalone started on other ports (with IDP and COMMANDS).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/standalone.sh
DURATION="${1:-30s}"
CONNECTIONS="${2:-8}"
THREADS="${3:-2}"

trap standalone_stop EXIT
standalone_start

ADMIN=$(token root "" platform_admin)
ORG=$(create_organization "Bench $(date +%s)" pro "$ADMIN")
export TOKEN=$(token bench "$ORG" org_admin)
URL="$COMMANDS/api/v1/organizations/$ORG/api-keys"
ORGS="${ORGS:-1}"
case "$ORGS" in ''|*[!0-9]*|0) echo "ORGS must be a positive integer, got '$ORGS'" >&2; exit 2 ;; esac
TARGETS=""
if [ "$ORGS" -gt 1 ]; then
  for i in $(seq 1 "$ORGS"); do
    org=$(create_organization "Bench $(date +%s) $i" pro "$ADMIN")
    [ -n "$org" ] && [ "$org" != null ] || { echo "could not create organization $i" >&2; exit 1; }
    TARGETS="$TARGETS${TARGETS:+;}/api/v1/organizations/$org/api-keys|$(token bench "$org" org_admin)"
  done
  echo "issuing into $ORGS organizations, round robin"
fi
export TARGETS

WARMUP="${WARMUP:-10s}"
if [ "$WARMUP" != 0 ]; then
  echo "warm-up $WARMUP"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/issue-keys.lua "$URL" | grep RESULT | sed 's/^RESULT/warm-up/'
fi
echo "measure $DURATION with $CONNECTIONS connections, $THREADS threads"
RESULT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/issue-keys.lua "$URL")
echo "$RESULT"

ISSUED=$(psql -h 127.0.0.1 -p "${PGPORT:-15432}" -U postgres -d keyledger_command -tA \
  -c "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%ApiKeyIssuedEvent'")
echo "issued events in the store: $ISSUED (warm-up and measurement together)"
echo "$RESULT" | grep RESULT
