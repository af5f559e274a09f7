#!/usr/bin/env bash
# Key issuance over HTTP against the standalone: throughput and p50/p99 latency of
# POST /api/v1/organizations/{org}/api-keys (a secret key per request: JWT check, command, event
# append, directory update, relay to Kafka running at the same time).
#
# Usage: bench/issue-keys.sh [DURATION] [CONNECTIONS] [THREADS]   (defaults 30s 8 2)
# Starts the standalone on a temporary data dir (set KEYLEDGER_USE_RUNNING=1 to use a running one),
# warms up for 10 s, measures with wrk, then checks the event store holds one issued event per 201.
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

echo "warm-up 10s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s bench/issue-keys.lua "$URL" | grep RESULT | sed 's/^RESULT/warm-up/'
echo "measure $DURATION with $CONNECTIONS connections, $THREADS threads"
RESULT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/issue-keys.lua "$URL")
echo "$RESULT"

ISSUED=$(psql -h 127.0.0.1 -p "${PGPORT:-15432}" -U postgres -d keyledger_command -tA \
  -c "SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%ApiKeyIssuedEvent'")
echo "issued events in the store: $ISSUED (warm-up and measurement together)"
echo "$RESULT" | grep RESULT
