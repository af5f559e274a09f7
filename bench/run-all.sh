#!/usr/bin/env bash
# Every benchmark of issue 14's target table in one command (docs/benchmarks.md, "Running every
# benchmark"): installs wrk, nginx, jq, curl and psql when missing (apt-get), builds the standalone
# with ./mvnw, then runs each benchmark script in turn with a time budget (a benchmark over its
# budget is killed with its whole process group and reported as over budget), parses the RESULT or
# report lines the scripts print, and rewrites the summary table of docs/benchmarks.md (between the
# run-all markers) with the date, the load average and each figure; each row names its script.
# Every script starts and stops what it needs itself (standalone, nginx, embedded infrastructure).
#
# Usage: bench/run-all.sh [--quick] [--only NAME[,NAME...]] [--all] [--list]
#   --list    the benchmarks, their budgets and scripts
#   --only    just these (names from --list; extra ones included)
#   --all     the table's benchmarks and the extra ones (revoke-to-deny, relay, revoke-lag, valid-at,
#             audit-export, revoke-all); longer than 30 minutes
#   --quick   tiny sizes and durations to smoke-test the orchestration; its figures are meaningless,
#             are labelled quick and go to target/bench-run/ only, never into docs/benchmarks.md
# Environment: PORT_BASE (default 46000; the benchmarks use PORT_BASE..PORT_BASE+999), FORCE=1 (run
# even when the 1-minute load average is above LOAD_MAX, default 6), SKIP_BUILD=1 (use the jars
# already built), OFFLINE=1 (Maven offline), BUDGET_SCALE (multiplies every budget, default 1).
# Exits non-zero when any benchmark failed, went over budget or measured nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
base="${PORT_BASE:-46000}"
LOAD_MAX="${LOAD_MAX:-6}"
QUICK=0; LIST=0; ALL=0; ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --list) LIST=1 ;;
    --all) ALL=1 ;;
    --only) ONLY="${2:?--only needs a name}"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# ---------------------------------------------------------------------------------------------
# The benchmarks. NAMES in run order; TABLE marks the issue's table, the others run with --all or
# --only. Per benchmark: SCRIPT (what the row names), BUDGET full/quick in seconds, and two
# functions: cmd_<name> prints the command line (QUICK decides the sizes), parse_<name> reads the
# log and prints "ROW<TAB>figure" lines (one per table row), nothing when nothing was measured.
# ---------------------------------------------------------------------------------------------
NAMES=(standalone-forward-auth edge-forward-auth proxy revoke-under-load jmh memory issuance rebuild usage
  revoke-to-deny relay revoke-lag valid-at audit-export revoke-all)
TABLE=" standalone-forward-auth edge-forward-auth proxy revoke-under-load jmh memory issuance rebuild usage "
declare -A SCRIPT BUDGET QBUDGET
# Table rows: id -> measure | target (the issue's wording), in the order of the issue's table.
ROWS=(standalone-forward-auth edge-forward-auth proxy cpu-per-request revoke-under-load jmh memory issuance rebuild usage
  revoke-to-deny relay revoke-lag valid-at audit-export revoke-all)
declare -A MEASURE TARGET ROWSCRIPT

SCRIPT[standalone-forward-auth]="bench/standalone-forward-auth.sh 10s 32"; BUDGET[standalone-forward-auth]=240; QBUDGET[standalone-forward-auth]=300
MEASURE[standalone-forward-auth]="standalone forward-auth with metering / nginx \`return 200\` (one worker), same run, \`wrk -t1 -c32\` 10 s after 10 s warm-up"
TARGET[standalone-forward-auth]=">= 0.5"
MEASURE[cpu-per-request]="CPU time of the whole standalone (JVM and embedded PostgreSQL, /proc/<pid>/stat) per accepted, metered request, idle rate subtracted"
TARGET[cpu-per-request]="<= 30 us"
ROWSCRIPT[cpu-per-request]="bench/standalone-forward-auth.sh 10s 32"
cmd_standalone-forward-auth() {
  if [ "$QUICK" = 1 ]; then echo "WARMUP=2s IDLE_SECONDS=1 bench/standalone-forward-auth.sh 2s 8"
  else echo "bench/standalone-forward-auth.sh 10s 32"; fi
}
parse_standalone-forward-auth() {
  local r; r=$(result_line "$1") || return 0
  printf 'standalone-forward-auth\t**%s**: %s vs %s req/s (p99 %s vs %s), %s non-2xx; %s of %s accepted requests metered\n' \
    "$(kv "$r" ratio)" "$(kv "$r" edge_rps)" "$(kv "$r" nginx_rps)" "$(kv "$r" edge_p99)" "$(kv "$r" nginx_p99)" \
    "$(kv "$r" edge_non2xx)" "$(kv "$r" metered)" "$(kv "$r" accepted)"
  printf 'cpu-per-request\t**%s us** per request (raw %s us: %s s CPU over %s s wall, idle %s CPU-s/s)\n' \
    "$(kv "$r" cpu_us_per_request)" "$(kv "$r" cpu_us_per_request_raw)" "$(kv "$r" cpu_s)" "$(kv "$r" wall_s)" \
    "$(kv "$r" idle_cpu_per_s)"
}

SCRIPT[edge-forward-auth]="auth-edge/bench/forward-auth-bench.sh 15s 64"; BUDGET[edge-forward-auth]=240; QBUDGET[edge-forward-auth]=300
MEASURE[edge-forward-auth]="edge alone forward-auth / nginx \`return 200\` (\`worker_processes auto\`), same run, \`wrk -t2 -c64\` 15 s after 10 s warm-up"
TARGET[edge-forward-auth]=">= 0.8"
cmd_edge-forward-auth() {
  local ports="EDGE_PORT=$((base + 280)) EDGE_MANAGEMENT_PORT=$((base + 281)) NGINX_PORT=$((base + 282))"
  if [ "$QUICK" = 1 ]; then echo "$ports auth-edge/bench/forward-auth-bench.sh 2s 8"
  else echo "$ports auth-edge/bench/forward-auth-bench.sh 15s 64"; fi
}
parse_edge-forward-auth() {
  local r; r=$(result_line "$1") || return 0
  printf 'edge-forward-auth\t**%s**: %s vs %s req/s (p99 %s vs %s), %s non-2xx\n' "$(kv "$r" ratio)" \
    "$(kv "$r" edge_rps)" "$(kv "$r" nginx_rps)" "$(kv "$r" edge_p99)" "$(kv "$r" nginx_p99)" "$(kv "$r" edge_non2xx)"
}

SCRIPT[proxy]="bench/proxy-vs-nginx.sh 10s 32"; BUDGET[proxy]=240; QBUDGET[proxy]=300
MEASURE[proxy]="proxy mode / nginx \`proxy_pass\` (one worker, keep-alive) to the same upstream (the standalone's demo upstream), same run, \`wrk -t1 -c32\` 10 s after 30 s warm-up each"
TARGET[proxy]=">= 0.9"
cmd_proxy() {
  if [ "$QUICK" = 1 ]; then echo "WARMUP=2s bench/proxy-vs-nginx.sh 2s 8"; else echo "bench/proxy-vs-nginx.sh 10s 32"; fi
}
parse_proxy() {
  local r; r=$(result_line "$1") || return 0
  printf 'proxy\t**%s**: %s vs %s req/s (p99 %s vs %s)\n' "$(kv "$r" ratio)" "$(kv "$r" edge_rps)" \
    "$(kv "$r" nginx_rps)" "$(kv "$r" edge_p99)" "$(kv "$r" nginx_p99)"
}

SCRIPT[revoke-under-load]="bench/revoke-under-load.sh 300 2000"; BUDGET[revoke-under-load]=300; QBUDGET[revoke-under-load]=300
MEASURE[revoke-under-load]="revoke answer -> first 401, standalone, 300 revokes while 2,000 requests/s flow through the edge"
TARGET[revoke-under-load]="p99 < 25 ms"
cmd_revoke-under-load() {
  if [ "$QUICK" = 1 ]; then echo "MIN_FRACTION=0.1 bench/revoke-under-load.sh 10 200"; else echo "bench/revoke-under-load.sh 300 2000"; fi
}
parse_revoke-under-load() {
  local r; r=$(result_line "$1") || return 0
  printf 'revoke-under-load\t%s revokes: p50 %s ms, p90 %s ms, **p99 %s ms**, max %s ms; load %s req/s of %s (p99 %s, %s non-2xx)\n' \
    "$(kv "$r" revokes)" "$(kv "$r" p50_ms)" "$(kv "$r" p90_ms)" "$(kv "$r" p99_ms)" "$(kv "$r" max_ms)" \
    "$(kv "$r" load_rps)" "$(kv "$r" load_target)" "$(kv "$r" load_p99)" "$(kv "$r" load_non2xx)"
}

SCRIPT[jmh]="auth-edge/bench/jmh.sh"; BUDGET[jmh]=300; QBUDGET[jmh]=300
MEASURE[jmh]="in-process decision, JMH, one thread, secret key (100,000-key table)"
TARGET[jmh]=">= 5 M/s per core"
cmd_jmh() {
  # DecisionBenchmark presents 1,024 keys of each kind: its table needs at least 2,048 keys.
  if [ "$QUICK" = 1 ]; then echo "auth-edge/bench/jmh.sh -foe true -wi 1 -w 1s -i 1 -r 1s -p tableSize=4096 -rf json -rff $out/jmh.json"
  else echo "auth-edge/bench/jmh.sh -foe true -rf json -rff $out/jmh.json"; fi
}
parse_jmh() {
  [ -s "$out/jmh.json" ] || return 0
  local s p f
  s=$(jmh_score secretKeyAccepted); p=$(jmh_score publicKeyAcceptedFromWildcardOrigin); f=$(jmh_score forgedKeyRejectedWithoutLookup)
  [ -n "$s" ] || return 0
  printf 'jmh\t**%s M/s** secret key; %s M/s public key, %s M/s forged key\n' "$s" "${p:--}" "${f:--}"
}
jmh_score() {
  jq -r --arg b "$1" '.[] | select(.benchmark | endswith("." + $b)) | .primaryMetric.score / 1e6 | . * 100 | round / 100' \
    "$out/jmh.json" 2>/dev/null | head -1
}

SCRIPT[memory]="auth-edge/bench/memory.sh 1000000"; BUDGET[memory]=180; QBUDGET[memory]=240
MEASURE[memory]="heap per active key at 1,000,000 keys (table and intern pools)"
TARGET[memory]="<= 120 B"
cmd_memory() { if [ "$QUICK" = 1 ]; then echo "auth-edge/bench/memory.sh 20000"; else echo "auth-edge/bench/memory.sh 1000000"; fi; }
parse_memory() {
  local l; l=$(grep -E '^keys=[1-9][0-9]* .*bytes_per_key=' "$1" | tail -1) || return 0
  printf 'memory\t**%s B** per key (%s keys)\n' "$(kv "$l" bytes_per_key)" "$(kv "$l" keys)"
}

SCRIPT[issuance]="RUNS=7 CONNS=8 bench/issue-keys-series.sh"; BUDGET[issuance]=420; QBUDGET[issuance]=300
MEASURE[issuance]="key issuance over HTTP, fresh standalone, 8 connections, consecutive 20 s runs (each after the 10 s warm-up of bench/issue-keys.sh)"
TARGET[issuance]=">= 3,000/s, p99 < 25 ms warm; >= 1,000/s in the first minute"
cmd_issuance() {
  if [ "$QUICK" = 1 ]; then echo "RUNS=1 CONNS=2 bench/issue-keys-series.sh"; else echo "RUNS=7 CONNS=8 bench/issue-keys-series.sh"; fi
}
parse_issuance() {
  local lines rates p99s
  lines=$(grep -E '^RESULT requests=[1-9]' "$1") || return 0
  rates=$(while read -r l; do kv "$l" keys_per_s; done <<<"$lines" | paste -sd, - | sed 's/,/, /g')
  p99s=$(while read -r l; do kv "$l" p99_ms; done <<<"$lines" | paste -sd, - | sed 's/,/, /g')
  printf 'issuance\truns: **%s keys/s**; p99 %s ms; non-2xx %s\n' "$rates" "$p99s" \
    "$(while read -r l; do kv "$l" non2xx; done <<<"$lines" | awk '{s += $1} END {print s + 0}')"
}

SCRIPT[rebuild]="EVENTS=1000000 query-service/bench/rebuild-benchmark.sh"; BUDGET[rebuild]=420; QBUDGET[rebuild]=600
MEASURE[rebuild]="projection rebuild, 1,000,110 events (seeded straight into Kafka by the test)"
TARGET[rebuild]=">= 100,000 events/s"
cmd_rebuild() { echo "EVENTS=$([ "$QUICK" = 1 ] && echo 3000 || echo 1000000) query-service/bench/rebuild-benchmark.sh"; }
parse_rebuild() {
  local l; l=$(grep -E '^rebuild: [1-9][0-9]* events applied' "$1" | tail -1) || return 0
  printf 'rebuild\t%s\n' "$(sed -E 's/^rebuild: ([0-9]+) events applied, ([0-9]+) events\/s.*wall ([0-9.]+) s/**\2 events\/s** (\1 events, wall \3 s)/' <<<"$l")"
}

SCRIPT[usage]="KEYS=100000 EVENTS=2000000 SUSTAINED_RATE=200000 PHASE_SECONDS=30 query-service/bench/usage-benchmark.sh"
BUDGET[usage]=540; QBUDGET[usage]=600
MEASURE[usage]="usage ingest exactly once, 100,000 distinct keys: sustained (offered 200,000/s for 30 s) and backlog"
TARGET[usage]=">= 200,000/s sustained"
cmd_usage() {
  if [ "$QUICK" = 1 ]; then echo "KEYS=100 EVENTS=50000 DELAY_RATE=200 SUSTAINED_RATE=1000 PHASE_SECONDS=3 query-service/bench/usage-benchmark.sh"
  else echo "${SCRIPT[usage]}"; fi
}
parse_usage() {
  local s b e w
  s=$(grep -E '^sustained phase: [1-9]' "$1" | tail -1) || return 0
  b=$(grep -E '^backlog phase: ' "$1" | tail -1 | grep -oE '[0-9]+ records/s$')
  e=$(grep -cE '^exactly once: ' "$1")
  w=$(grep -E '^sustained steady window: ' "$1" | tail -1) || { printf 'usage\t**no steady-window line in the report**\n'; return 0; }
  printf 'usage\tsustained: steady window (%s s between the first and last of %s commits after a third of the phase) **%s records/s counted** while %s/s offered, behind by %s -> %s records; **%s records/s end to end** (all %s offered records counted %s s after the last write); backlog %s; %s\n' \
    "$(grep -oE 'window: [0-9.]+' <<<"$w" | grep -oE '[0-9.]+$')" \
    "$(grep -oE 'last of [0-9]+ commits' <<<"$w" | grep -oE '[0-9]+')" \
    "$(grep -oE 'counted [0-9]+ records/s' <<<"$w" | grep -oE '[0-9]+')" \
    "$(grep -oE 'while [0-9]+/s' <<<"$w" | grep -oE '[0-9]+')" \
    "$(grep -oE 'by [0-9]+ records' <<<"$w" | grep -oE '[0-9]+')" \
    "$(grep -oE 'and [0-9]+ at its end' <<<"$w" | grep -oE '[0-9]+')" \
    "$(grep -oE '\(([0-9]+) records/s end to end' <<<"$s" | grep -oE '[0-9]+')" \
    "$(grep -oE '^sustained phase: [0-9]+' <<<"$s" | grep -oE '[0-9]+$')" \
    "$(grep -oE 'counted [0-9.]+ s after' <<<"$s" | grep -oE '[0-9.]+')" "${b:--}" \
    "$([ "$e" -gt 0 ] && echo 'counted exactly once' || echo '**exactly-once line missing**')"
}

# Extra benchmarks (not rows of issue 14's table; --all or --only).
SCRIPT[revoke-to-deny]="bench/revoke-to-deny.sh 300"; BUDGET[revoke-to-deny]=480; QBUDGET[revoke-to-deny]=300
MEASURE[revoke-to-deny]="revoke answer -> first 401 at the edge, standalone, no other traffic"
TARGET[revoke-to-deny]="p99 < 100 ms (contract)"
cmd_revoke-to-deny() { echo "bench/revoke-to-deny.sh $([ "$QUICK" = 1 ] && echo 10 || echo 300)"; }
parse_revoke-to-deny() {
  local r; r=$(result_line "$1") || return 0
  printf 'revoke-to-deny\t%s revokes: p50 %s ms, p90 %s ms, **p99 %s ms**, max %s ms\n' "$(kv "$r" revokes)" \
    "$(kv "$r" p50_ms)" "$(kv "$r" p90_ms)" "$(kv "$r" p99_ms)" "$(kv "$r" max_ms)"
}

SCRIPT[relay]="EVENTS=100000 bench/relay-throughput.sh"; BUDGET[relay]=480; QBUDGET[relay]=480
MEASURE[relay]="events relayed from the event store to Kafka"
TARGET[relay]="-"
cmd_relay() { echo "EVENTS=$([ "$QUICK" = 1 ] && echo 2000 || echo 100000) bench/relay-throughput.sh"; }
parse_relay() {
  local l; l=$(grep -E '^appended .* events/s$' "$1" | tail -1) || return 0
  printf 'relay\t**%s events/s** (%s)\n' "$(grep -oE '[0-9,]+ events/s$' <<<"$l" | grep -oE '^[0-9,]+')" \
    "$(grep -oE 'batch size [0-9]+' <<<"$l")"
}

SCRIPT[revoke-lag]="KEYS=200 query-service/bench/revoke-lag.sh (against a standalone at PORT_BASE)"; BUDGET[revoke-lag]=480; QBUDGET[revoke-lag]=420
MEASURE[revoke-lag]="revoke answer -> tombstone on \`keyledger.active-keys\`, standalone"
TARGET[revoke-lag]="-"
# revoke-lag.sh needs a running standalone: start one at PORT_BASE around it.
cmd_revoke-lag() {
  echo ". bench/lib/standalone.sh && trap standalone_stop EXIT && standalone_start && KEYS=$([ "$QUICK" = 1 ] && echo 10 || echo 200) query-service/bench/revoke-lag.sh"
}
parse_revoke-lag() {
  local l; l=$(grep -E '^revokes: [1-9]' "$1" | tail -1) || return 0
  printf 'revoke-lag\t%s\n' "$(sed -E 's/^revokes: ([0-9]+), lag from DELETE answer to tombstone \(ms\): /\1 revokes: /; s/p99 ([0-9.]+)/**p99 \1 ms**/' <<<"$l")"
}

SCRIPT[valid-at]="query-service/bench/valid-at-benchmark.sh"; BUDGET[valid-at]=1200; QBUDGET[valid-at]=600
MEASURE[valid-at]="\`valid_at\` key list, organization with 10,000 keys and 1,000,000 events (seeded into the tables)"
TARGET[valid-at]="p99 < 50 ms"
cmd_valid-at() {
  if [ "$QUICK" = 1 ]; then echo "KEYS=40 RENAMES=2 RUNS=5 query-service/bench/valid-at-benchmark.sh"
  else echo "query-service/bench/valid-at-benchmark.sh"; fi
}
parse_valid-at() {
  local l; l=$(grep -E '^all cases: [1-9][0-9]* requests' "$1" | tail -1) || return 0
  printf 'valid-at\t%s\n' "$(sed -E 's/^all cases: /all cases: /; s/p99 ([0-9.]+ ms)/**p99 \1**/' <<<"$l")"
}

SCRIPT[audit-export]="query-service/bench/audit-export-benchmark.sh"; BUDGET[audit-export]=1200; QBUDGET[audit-export]=600
MEASURE[audit-export]="signed audit export of 1,000,000 entries (seeded into \`audit_log\`), heap bounded at 512 MB, and its verification"
TARGET[audit-export]="heap bounded"
cmd_audit-export() { echo "ENTRIES=$([ "$QUICK" = 1 ] && echo 2000 || echo 1000000) query-service/bench/audit-export-benchmark.sh"; }
parse_audit-export() {
  local e v; e=$(grep -E '^export: [1-9]' "$1" | tail -1) || return 0
  v=$(grep -E '^verify .*: verified [1-9]' "$1" | tail -1 | sed -E 's/^verify \(contracts ExportVerifier, in this JVM\): //')
  printf 'audit-export\t%s; verify: %s\n' "${e#export: }" "${v:-**did not verify**}"
}

SCRIPT[revoke-all]="bench/revoke-all.sh"; BUDGET[revoke-all]=600; QBUDGET[revoke-all]=420
MEASURE[revoke-all]="incident response, 10,000 keys: suspend -> last 401, reactivate -> last 200, revoke-all call and answer -> last 401"
TARGET[revoke-all]="1 s (decision 0012)"
cmd_revoke-all() { echo "PORT_BASE=$((base + 500)) $([ "$QUICK" = 1 ] && echo 'KEYS=50 REVOKED_BEFORE=2 ')bench/revoke-all.sh"; }
parse_revoke-all() {
  local s r a; s=$(grep -E '^RESULT suspend ' "$1" | tail -1) || return 0
  r=$(grep -E '^RESULT reactivate ' "$1" | tail -1); a=$(grep -E '^RESULT revoke-all ' "$1" | tail -1)
  printf 'revoke-all\t%s keys: suspend -> last 401 **%s ms**; reactivate -> last 200 %s ms; revoke-all call %s ms, answer -> last 401 **%s ms** (passes of %s ms)\n' \
    "$(kv "$s" keys)" "$(kv "$s" last_401_ms)" "$(kv "$r" last_200_ms)" "$(kv "$a" call_ms)" "$(kv "$a" last_401_ms)" "$(kv "$a" pass_ms)"
}

# ---------------------------------------------------------------------------------------------
kv() { grep -oE "(^| )$2=[^ ]*" <<<"$1" | head -1 | sed -E "s/^ ?$2=//"; }
result_line() { grep -E '^RESULT ' "$1" | tail -1 | grep . ; }
load1() { cut -d' ' -f1 /proc/loadavg; }
is_table() { [[ "$TABLE" == *" $1 "* ]]; }
row_script() { echo "${ROWSCRIPT[$1]:-${SCRIPT[$1]}}"; }

if [ "$LIST" = 1 ]; then
  printf '%-24s %-6s %7s %7s  %s\n' name group budget quick script
  for n in "${NAMES[@]}"; do
    printf '%-24s %-6s %6ss %6ss  %s\n' "$n" "$(is_table "$n" && echo table || echo extra)" "${BUDGET[$n]}" "${QBUDGET[$n]}" "${SCRIPT[$n]}"
  done
  exit 0
fi

selected=()
if [ -n "$ONLY" ]; then
  IFS=, read -ra wanted <<<"$ONLY"
  for w in "${wanted[@]}"; do
    [ -n "${SCRIPT[$w]:-}" ] || { echo "no benchmark named '$w' (see --list)" >&2; exit 2; }
    selected+=("$w")
  done
else
  for n in "${NAMES[@]}"; do
    if [ "$ALL" = 1 ] || is_table "$n"; then selected+=("$n"); fi
  done
fi

if [ "$QUICK" != 1 ] && [ "${FORCE:-0}" != 1 ] && awk -v l="$(load1)" -v m="$LOAD_MAX" 'BEGIN { exit !(l > m) }'; then
  echo "REFUSED: 1-minute load average $(load1) is above $LOAD_MAX; figures taken under foreign load measure the load." >&2
  echo "Run again on a quiet machine, or FORCE=1 (the load is written into every row)." >&2
  exit 3
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/target/bench-run/$([ "$QUICK" = 1 ] && echo "quick-")$stamp"
mkdir -p "$out"
echo "run-all: $([ "$QUICK" = 1 ] && echo 'QUICK (tiny sizes, figures meaningless) ')${selected[*]}"
echo "logs: $out"

# Tools. Debian/Ubuntu packages; sudo when not root.
missing=()
for tool in wrk nginx jq curl psql; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sed 's/^psql$/postgresql-client/' | paste -sd' ' -)
  echo "installing $pkgs"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs >/dev/null \
    || { echo "FAILED: could not install $pkgs" >&2; exit 1; }
fi

if [ "${OFFLINE:-0}" = 1 ]; then export MAVEN_ARGS="${MAVEN_ARGS:-} -o" MAVEN_OFFLINE=1; fi
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "build: ./mvnw package (standalone and the modules it needs), log $out/build.log"
  if ! ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true -pl standalone -am package >"$out/build.log" 2>&1; then
    tail -30 "$out/build.log" >&2
    echo "FAILED: the build failed; nothing measured" >&2
    exit 1
  fi
  echo "build done in $(( $(date +%s) - started )) s"
fi

# run_budget LOG BUDGET COMMAND: runs COMMAND in its own process group; past BUDGET seconds the
# group gets SIGTERM (the scripts' traps stop their standalone and nginx), 20 s later SIGKILL, and
# whatever a killed script left running under a standalone data dir it printed is ended too.
current=""
run_budget() {
  local log="$1" budget="$2" cmd="$3" waited=0
  setsid bash -c "$cmd" >"$log" 2>&1 </dev/null &
  current=$!
  while kill -0 "$current" 2>/dev/null; do
    if [ "$waited" -ge "$budget" ]; then
      echo "  over budget (${budget}s): stopping it" >&2
      kill -TERM -- "-$current" 2>/dev/null
      for _ in $(seq 1 20); do kill -0 "$current" 2>/dev/null || break; sleep 1; done
      kill -KILL -- "-$current" 2>/dev/null
      wait "$current" 2>/dev/null
      for dir in $(grep -oE '/tmp/keyledger-bench\.[A-Za-z0-9]+' "$log" | sort -u); do
        for p in $(pgrep -f -- "$dir"); do kill -TERM "$p" 2>/dev/null; done
      done
      current=""
      return 124
    fi
    sleep 1
    waited=$((waited + 1))
  done
  wait "$current"
  local rc=$?
  current=""
  return $rc
}
on_signal() {
  [ -n "$current" ] && kill -TERM -- "-$current" 2>/dev/null
  echo "interrupted" >&2
  exit 130
}
trap on_signal INT TERM

rows_file="$out/rows.tsv"
: >"$rows_file"
failures=0
scale="${BUDGET_SCALE:-1}"
for n in "${selected[@]}"; do
  budget=$([ "$QUICK" = 1 ] && echo "${QBUDGET[$n]}" || echo "${BUDGET[$n]}")
  budget=$(awk -v b="$budget" -v s="$scale" 'BEGIN {printf "%d", b * s}')
  cmd=$(cmd_"$n")
  log="$out/$n.log"
  before=$(load1); t0=$(date +%s)
  echo "== $n (budget ${budget}s, load $before): $cmd"
  # Every script sees the standalone's ports at PORT_BASE (bench/lib/ports.sh), the ones that start
  # a standalone through bench/lib/standalone.sh included.
  run_budget "$log" "$budget" "export FORCE=${FORCE:-$QUICK} PORT_BASE=$base; . bench/lib/ports.sh && standalone_ports $base && $cmd"
  rc=$?
  took=$(( $(date +%s) - t0 ))
  parsed=$(parse_"$n" "$log" 2>/dev/null)
  status=""
  if [ "$rc" = 124 ]; then status="**over budget** (killed after ${budget} s)"
  elif [ "$rc" != 0 ]; then status="**failed** (exit $rc)"
  fi
  if [ -z "$parsed" ]; then
    [ -n "$status" ] || status="**failed**"
    status="$status: **measured nothing**"
  fi
  if [ -n "$status" ]; then
    failures=$((failures + 1))
    echo "  FAILED: $n: $status; last lines of $log:" >&2
    tail -15 "$log" | sed 's/^/    /' >&2
  fi
  when="$(date -u '+%Y-%m-%d %H:%M') UTC, load $before -> $(load1), ${took} s"
  if [ -n "$parsed" ]; then
    while IFS=$'\t' read -r row figure; do
      printf '%s\t%s%s\t%s\n' "$row" "${status:+$status; }" "$figure" "$when" >>"$rows_file"
    done <<<"$parsed"
  else
    printf '%s\t%s (log target/bench-run/%s/%s.log)\t%s\n' "$n" "$status" "$(basename "$out")" "$n" "$when" >>"$rows_file"
    [ "$n" = standalone-forward-auth ] && printf 'cpu-per-request\t%s\t%s\n' "$status" "$when" >>"$rows_file"
  fi
  echo "  $n: ${status:-ok} in ${took}s"
  [ -n "$parsed" ] && cut -f2 <<<"$parsed" | sed 's/^/    /'
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
total=$(( $(date +%s) - started ))

# The table: one markdown row per row id, in the order of ROWS.
table_row() { # id figure when
  printf '| %s | %s | %s | %s | %s | `%s` |\n' "$1" "${MEASURE[$1]}" "${TARGET[$1]}" "$2" "$3" "$(row_script "$1")"
}
new_rows="$out/table-rows.md"
: >"$new_rows"
while IFS=$'\t' read -r row figure when; do table_row "$row" "$figure" "$when" >>"$new_rows"; done <"$rows_file"
header="Written by \`bench/run-all.sh$([ -n "$ONLY" ] && echo " --only $ONLY")\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, load average (1, 5, 15 min) $load_start at start and $load_end at end, ${total} s in all (build included). Rows from an earlier run keep their own date."

if [ "$QUICK" = 1 ]; then
  {
    echo "# QUICK run of bench/run-all.sh: tiny sizes and durations, the figures are meaningless"
    echo
    echo "$header"
    echo
    echo "| row | measure | target | measured (QUICK) | when, load | script |"
    echo "|---|---|---|---|---|---|"
    cat "$new_rows"
  } >"$out/summary.md"
  echo
  cat "$out/summary.md"
  echo
  echo "quick run: summary in $out/summary.md (docs/benchmarks.md not touched)"
else
  doc="$root/docs/benchmarks.md"
  grep -q '<!-- run-all:begin -->' "$doc" && grep -q '<!-- run-all:end -->' "$doc" \
    || { echo "FAILED: $doc has no run-all markers; rows are in $new_rows" >&2; exit 1; }
  order="${ROWS[*]}"
  tmp=$(mktemp)
  awk -v header="$header" -v newrows="$new_rows" -v order="$order" '
    function id(line,   f) { split(line, f, "|"); gsub(/^ +| +$/, "", f[2]); return f[2] }
    BEGIN {
      while ((getline l < newrows) > 0) { fresh[id(l)] = l }
      n = split(order, ids, " ")
    }
    /<!-- run-all:begin -->/ { print; inside = 1; next }
    /<!-- run-all:end -->/ {
      print ""; print header; print ""
      print "| row | measure | target | measured | when, load | script |"
      print "|---|---|---|---|---|---|"
      for (i = 1; i <= n; i++) {
        k = ids[i]
        if (k in fresh) print fresh[k]; else if (k in old) print old[k]
        done[k] = 1
      }
      for (k in old) if (!(k in done)) print old[k]
      print ""; print; inside = 0; next
    }
    inside && /^\| / && !/^\| row \|/ && !/^\|---/ { old[id($0)] = $0; next }
    inside { next }
    { print }
  ' "$doc" >"$tmp" && cat "$tmp" >"$doc"
  rm -f "$tmp"
  echo "docs/benchmarks.md: summary table rewritten ($(wc -l <"$new_rows") rows from this run)"
fi

if [ "$failures" -gt 0 ]; then
  echo "FAILED: $failures benchmark(s) failed, went over budget or measured nothing (logs in $out)" >&2
  exit 1
fi
echo "all ${#selected[@]} benchmark(s) measured in ${total} s"
