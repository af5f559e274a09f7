#!/usr/bin/env bash
# The local cluster's proof run, as measured in docs/local-cluster.md: up, status, the walkthrough,
# Prometheus's targets, SIGKILL of edge-1 with calls through the lb while it is down, its restart,
# a SIGTERM stop and start of edge-2, then down. Prints the time of each step; exits 1 when a step
# failed (down runs in any case). Ports are fixed: hold the machine's cluster lock around it, e.g.
#   flock -w 1800 /work/helpers/cluster.lock deploy/local-cluster/rehearsal.sh
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
C="$HERE/cluster.sh"
failed=0
step() { printf '\n== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
trap 'step down; t=$(date +%s); "$C" down; echo "down in $(( $(date +%s) - t )) s"' EXIT

step up
t=$(date +%s)
"$C" up || { echo "UP FAILED after $(( $(date +%s) - t )) s"; exit 1; }
echo "up in $(( $(date +%s) - t )) s"
step status
"$C" status
"$C" status | awk '$4 != "up" {bad=1} END {exit bad}' || { echo "not all up"; failed=1; }

step walkthrough
t=$(date +%s)
"$HERE/walkthrough.sh"
rc=$?
[ $rc = 0 ] || failed=1
echo "walkthrough: exit $rc in $(( $(date +%s) - t )) s"

step "prometheus targets"
curl -s http://127.0.0.1:19090/api/v1/targets \
    | jq -r '.data.activeTargets[] | "\(.labels.job) \(.labels.instance) \(.health)"' | sort
curl -s http://127.0.0.1:19090/api/v1/targets | jq -e '[.data.activeTargets[] | select(.health != "up")] | length == 0' >/dev/null \
    || echo "some targets are not up (yet)"

step "kill edge-1"
"$C" kill edge-1
sleep 1
"$C" status | grep -E '^(edge|lb) '
codes=$(for i in 1 2 3 4 5 6 7 8 9; do
    curl -s -o /dev/null -m 10 -w '%{http_code} ' -X POST http://127.0.0.1:18000/api/v1/chat/message -H 'X-API-Key: sk_unknown' -d '{}'
done)
echo "9 calls through the lb with edge-1 down (unknown key, so 401 is the edge's answer): $codes"
[[ $codes =~ ^(401 )+$ ]] || { echo "a call through the lb was not answered by an edge"; failed=1; }
t=$(date +%s)
"$C" start edge-1 || failed=1
echo "edge-1 back in $(( $(date +%s) - t )) s"

step "stop edge-2 (SIGTERM), start edge-2"
t=$(date +%s)
"$C" stop edge-2 || failed=1
echo "stopped in $(( $(date +%s) - t )) s"
t=$(date +%s)
"$C" start edge-2 || failed=1
echo "edge-2 back in $(( $(date +%s) - t )) s"
"$C" status | awk '$4 != "up" {bad=1} END {exit bad}' || { "$C" status; echo "not all up"; failed=1; }
[ $failed = 0 ] && echo "rehearsal passed" || echo "REHEARSAL FAILED"
exit $failed
