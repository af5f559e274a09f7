#!/usr/bin/env bash
# Attack on the organization seq (db/command V7, decision 0009): 16 connections issue keys into two
# organizations, the standalone is SIGKILLed mid-traffic and restarted on the same data dir, more
# keys are issued; then each organization's events must carry exactly the seqs 1..N (no gap, no
# duplicate, no placeholder left), the counter row must be N, the metadata's organization_seq must
# equal the column, and the read side's audit chain must hash every entry. Exits 1 when any fails.
#
# Usage: bench/seq-after-sigkill.sh   (ports 47000..47999; DIR, default /tmp/keyledger-seq-attack)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/ports.sh
standalone_ports 47000
. bench/lib/standalone.sh
DIR="${DIR:-/tmp/keyledger-seq-attack}"
rm -rf "$DIR/data"
mkdir -p "$DIR"
PID=""
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

start() {
  "$JAVA_HOME/bin/java" -Xmx2g -jar "$STANDALONE_JAR" --keyledger.standalone.data-dir="$DIR/data" \
    $STANDALONE_ARGS >"$DIR/standalone-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do
    grep -q "Keyledger standalone ready" "$DIR/standalone-$1.log" && return 0
    sleep 1
  done
  echo "standalone not ready; see $DIR/standalone-$1.log" >&2
  exit 1
}

start 1
ADMIN=$(token root "" platform_admin)
A=$(create_organization "Attack A $(date +%s)" pro "$ADMIN")
B=$(create_organization "Attack B $(date +%s)" pro "$ADMIN")
export TARGETS="/api/v1/organizations/$A/api-keys|$(token x "$A" org_admin);/api/v1/organizations/$B/api-keys|$(token x "$B" org_admin)"
wrk -t2 -c16 -d20s -s bench/issue-keys.lua "$COMMANDS/" >"$DIR/wrk1.txt" 2>&1 &
WRK=$!
sleep 12
kill -9 "$PID"
echo "SIGKILL at $(date +%T) under load"
wait "$WRK" || true
wait "$PID" 2>/dev/null || true
sleep 2
start 2
wrk -t2 -c16 -d10s -s bench/issue-keys.lua "$COMMANDS/" >"$DIR/wrk2.txt" 2>&1 || true
grep -h RESULT "$DIR/wrk1.txt" "$DIR/wrk2.txt" || true
sleep 5

q() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -tA -c "$2"; }
failed=0
for org in "$A" "$B"; do
  row=$(q keyledger_command "SELECT count(*), coalesce(max(organizationseq), 0), count(DISTINCT organizationseq),
    count(*) FILTER (WHERE organizationseq < 1),
    count(*) FILTER (WHERE (convert_from(metadata, 'UTF8')::jsonb ->> 'organization_seq')::bigint <> organizationseq)
    FROM domainevententry WHERE organizationid = '$org'")
  counter=$(q keyledger_command "SELECT last_seq FROM organization_event_sequence WHERE organization_id = '$org'")
  chain=$(q keyledger_query "SELECT count(*), count(hash) FROM audit_log WHERE organization_id = '$org'")
  IFS='|' read -r n max distinct negative mismatched <<<"$row"
  IFS='|' read -r entries hashed <<<"$chain"
  echo "$org: events $n, max seq $max, distinct $distinct, placeholders $negative, metadata mismatches $mismatched, counter $counter, audit entries $entries, hashed $hashed"
  if [ "$n" -eq 0 ] || [ "$max" != "$n" ] || [ "$distinct" != "$n" ] || [ "$negative" != 0 ] \
    || [ "$mismatched" != 0 ] || [ "$counter" != "$n" ] || [ "$entries" != "$n" ] || [ "$hashed" != "$n" ]; then
    echo "FAILED for $org" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "seq after SIGKILL: ok"
exit "$failed"
