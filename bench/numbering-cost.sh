#!/usr/bin/env bash
# What the commit-time numbering of db/command V7 costs PostgreSQL per event: the deferred trigger
# UPDATEs each event row (seq and metadata; not HOT, since organizationseq is indexed), against a
# variant that numbers the row in a BEFORE INSERT trigger and writes it once (V4's way, which held
# the counter lock for the whole transaction). pgbench, one client, synchronous_commit off so the
# figure is CPU and not fsync, the two variants alternating ROUNDS times (default 3) for
# SECONDS_PER_RUN (default 10) each, in a scratch database built from the real migrations.
# Usage: bench/numbering-cost.sh   (PostgreSQL at PGHOST/PGPORT, default 127.0.0.1:5432, user postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
ROUNDS="${ROUNDS:-3}" SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
for n in "$ROUNDS" "$SECONDS_PER_RUN"; do
  case "$n" in ''|*[!0-9]*|0) echo "ROUNDS and SECONDS_PER_RUN must be positive integers, got '$n'" >&2; exit 2 ;; esac
done
DB="keyledger_numbering_bench_$$"
P="psql -q -v ON_ERROR_STOP=1 -d $DB"
trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
psql -q -d postgres -c "CREATE DATABASE $DB"
for f in command-service/src/main/resources/db/command/V*.sql; do $P -f "$f" >/dev/null; done
$P <<'SQL'
CREATE FUNCTION bench_number_at_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE next_seq BIGINT;
BEGIN
    INSERT INTO organization_event_sequence AS s (organization_id, last_seq) VALUES (NEW.organizationid, 1)
        ON CONFLICT (organization_id) DO UPDATE SET last_seq = s.last_seq + 1 RETURNING s.last_seq INTO next_seq;
    NEW.organizationseq := next_seq;
    NEW.metadata := keyledger_metadata_with_organization_seq(NEW.metadata, next_seq);
    RETURN NEW;
END $$;
-- Runs after domainevententry_organization_seq (triggers fire in name order) and overrides its placeholder.
CREATE TRIGGER zz_bench_number_at_insert BEFORE INSERT ON domainevententry
    FOR EACH ROW EXECUTE FUNCTION bench_number_at_insert();
SQL
variant() {
  if [ "$1" = at-commit ]; then
    $P -c "ALTER TABLE domainevententry DISABLE TRIGGER zz_bench_number_at_insert" \
       -c "ALTER TABLE domainevententry ENABLE TRIGGER domainevententry_number_organization_seq"
  else
    $P -c "ALTER TABLE domainevententry ENABLE TRIGGER zz_bench_number_at_insert" \
       -c "ALTER TABLE domainevententry DISABLE TRIGGER domainevententry_number_organization_seq"
  fi
}
for round in $(seq 1 "$ROUNDS"); do
  for v in at-commit at-insert; do
    variant "$v"
    out=$(PGOPTIONS='-c synchronous_commit=off' pgbench -n -f bench/sql/numbering-insert.sql -c 1 -j 1 \
      -T "$SECONDS_PER_RUN" "$DB" 2>&1)
    tx=$(echo "$out" | awk '/number of transactions actually processed/ {print $NF}')
    lat=$(echo "$out" | awk '/latency average/ {print $4}')
    [ -n "$tx" ] && [ "$tx" -gt 0 ] || { echo "FAILED: $v measured no transaction" >&2; echo "$out" >&2; exit 1; }
    echo "round $round $v: $tx events, $lat ms per event"
  done
done
bad=$($P -tA -c "SELECT count(*) FROM domainevententry WHERE organizationseq <= 0")
[ "$bad" = 0 ] || { echo "FAILED: $bad events left unnumbered" >&2; exit 1; }
