#!/usr/bin/env bash
# The README's curl walkthrough against a running local cluster (deploy/local-cluster/cluster.sh up):
# an organization, a database, a public and a secret key, calls through the lb (nginx, three
# edges), the read side's key list and history, a rename, a roll, a revocation refused with 401 on
# every edge, and the usage the read side counted. Every step is checked; the first failure stops
# the script with exit 1 and says which step and what it got.
#
#   eval "$(deploy/local-cluster/cluster.sh env)"   # optional: cluster.sh env is read when unset
#   deploy/local-cluster/walkthrough.sh
#
# Needs curl and jq. Settings: WALKTHROUGH_WAIT (seconds to wait for the read side and the edges
# to catch up, default 30), KEYLEDGER_* URLs as printed by cluster.sh env.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${KEYLEDGER_LB_URL:-}" ]; then eval "$("$HERE/cluster.sh" env)"; fi
: "${KEYLEDGER_COMMAND_URL:?}" "${KEYLEDGER_QUERY_URL:?}" "${KEYLEDGER_IDP_URL:?}"
LB=$KEYLEDGER_LB_URL
CMD=$KEYLEDGER_COMMAND_URL
QRY=$KEYLEDGER_QUERY_URL
IDP=$KEYLEDGER_IDP_URL
EDGES=${KEYLEDGER_EDGE_URLS:-}
WAIT=${WALKTHROUGH_WAIT:-30}
for tool in curl jq; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done

STEPS=0
START=$(date +%s%N)
ok() { STEPS=$((STEPS + 1)); printf 'ok   %2d %s\n' "$STEPS" "$1"; }
fail() { printf 'FAIL %2d %s\n' "$((STEPS + 1))" "$1" >&2; [ -n "${2:-}" ] && printf '     got: %s\n' "$2" >&2; exit 1; }

# http METHOD URL [curl args...]: sets STATUS and BODY.
http() {
    local method=$1 url=$2 out; shift 2
    out=$(curl -s -m 10 -X "$method" -w '\n%{http_code}' "$url" "$@") || { STATUS=000; BODY="curl failed: $url"; return 0; }
    STATUS=${out##*$'\n'}
    BODY=${out%$'\n'*}
}
expect() { # expect STATUS description
    [ "$STATUS" = "$1" ] || fail "$2: expected $1, got $STATUS" "$BODY"
    ok "$2 ($STATUS)"
}
json() { jq -r "$1" <<<"$BODY"; }

# until_ok SECONDS description command...: retries the command every 0.2 s.
until_ok() {
    local limit=$1 what=$2 begin; shift 2
    begin=$(date +%s%N)
    while ! "$@"; do
        [ $(( ($(date +%s%N) - begin) / 1000000000 )) -ge "$limit" ] && fail "$what (waited $limit s)" "${BODY:-}"
        sleep 0.2
    done
    ok "$what ($(( ($(date +%s%N) - begin) / 1000000 )) ms)"
}

token() { # token JSON-BODY
    http POST "$IDP/dev/token" -H 'Content-Type: application/json' -d "$1"
    [ "$STATUS" = 200 ] || fail "token from the identity provider" "$STATUS $BODY"
    json .access_token
}

# 1. Tokens and the organization.
ADMIN=$(token '{"subject":"root","roles":["platform_admin"]}') || exit 1
ok "platform_admin token from $IDP/dev/token"
http POST "$CMD/api/v1/organizations" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Acme walkthrough $(date +%s)\",\"plan\":\"pro\"}"
expect 201 "create organization (pro plan)"
ORG=$(json .id)
[[ $ORG == org_* ]] || fail "organization id" "$ORG"
ALICE=$(token "{\"subject\":\"alice\",\"organization_id\":\"$ORG\",\"roles\":[\"org_admin\"]}") || exit 1
ok "org_admin token for $ORG"

# 2. A database, a public key for it and a secret key.
http POST "$CMD/api/v1/organizations/$ORG/databases" -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d '{"name":"main","allowed_origins":["https://app.acme.com"]}'
expect 201 "create database with allowed origin https://app.acme.com"
DB=$(json .id)
http POST "$CMD/api/v1/organizations/$ORG/databases/$DB/api-keys" -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d '{"name":"web app"}'
expect 201 "create public key"
PK=$(json .key)
[[ $PK == pk_* ]] || fail "public key plaintext" "$BODY"
http POST "$CMD/api/v1/organizations/$ORG/api-keys" -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d '{"name":"backend"}'
expect 201 "create secret key"
SK=$(json .key); KEY_ID=$(json .id)
[[ $SK == sk_* ]] || fail "secret key plaintext" "$KEY_ID"

# 3. Calls through the lb: accepted once the edges have read the new keys (eventually consistent).
ACCEPTED=0
call_sk() {
    http POST "$LB/api/v1/chat/message" -H "X-API-Key: $SK" -H 'Content-Type: application/json' -d '{"message":"hi"}'
    [ "$STATUS" = 200 ] && ACCEPTED=$((ACCEPTED + 1)) && return 0
    return 1
}
until_ok "$WAIT" "secret key accepted through the lb" call_sk
grep -q "$ORG" <<<"$(json .caller)" || fail "the upstream saw X-Keyledger-Organization-Id $ORG" "$BODY"
ok "the upstream saw X-Keyledger-Organization-Id, not the key"
grep -q "$SK" <<<"$BODY" && fail "the upstream must not see the key" "$BODY"
# Round robin: more calls, so every edge answers some of them.
for i in 1 2 3 4 5; do call_sk || fail "secret key call $i through the lb" "$STATUS $BODY"; done
ok "5 more secret key calls through the lb (200)"
call_pk() {
    http POST "$LB/api/v1/chat/message" -H "X-API-Key: $PK" -H 'Origin: https://app.acme.com' \
        -H 'Content-Type: application/json' -d '{"message":"hi"}'
    [ "$STATUS" = 200 ]
}
until_ok "$WAIT" "public key accepted from https://app.acme.com through the lb" call_pk
http POST "$LB/api/v1/chat/message" -H "X-API-Key: $PK" -H 'Origin: https://evil.example' \
    -H 'Content-Type: application/json' -d '{"message":"hi"}'
expect 403 "public key from another origin refused"
http POST "$LB/api/v1/chat/message" -H 'X-API-Key: sk_not_a_key' -d '{}'
expect 401 "unknown key refused"

# 4. The read side: the keys and the secret key's history.
has_keys() {
    http GET "$QRY/api/v1/organizations/$ORG/api-keys" -H "Authorization: Bearer $ALICE"
    [ "$STATUS" = 200 ] && [ "$(json '.data | length')" -ge 2 ]
}
until_ok "$WAIT" "read side lists both keys" has_keys
http GET "$QRY/api/v1/organizations/$ORG/api-keys/$KEY_ID/history" -H "Authorization: Bearer $ALICE"
expect 200 "history of the secret key"
[ "$(json '.data[0].type')" = api_key.issued ] || fail "history starts with api_key.issued" "$BODY"
[ "$(json '.data[0].actor.subject')" = alice ] || fail "history names alice as the actor" "$BODY"
ok "history: api_key.issued by alice"

# 5. Rename, roll with a grace period, revoke the successor.
http PATCH "$CMD/api/v1/organizations/$ORG/api-keys/$KEY_ID" -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d '{"name":"backend (prod)"}'
expect 200 "rename the secret key"
[ "$(json .name)" = "backend (prod)" ] || fail "renamed" "$BODY"
http POST "$CMD/api/v1/organizations/$ORG/api-keys/$KEY_ID/roll" -H "Authorization: Bearer $ALICE" \
    -H 'Content-Type: application/json' -d '{"grace_period_seconds":3600}'
expect 201 "roll with a one-hour grace period"
NEW_SK=$(json .key); NEW_ID=$(json .id)
[ "$(json .replaces)" = "$KEY_ID" ] || fail "the successor replaces $KEY_ID" "$BODY"
call_new() {
    http POST "$LB/api/v1/chat/message" -H "X-API-Key: $NEW_SK" -H 'Content-Type: application/json' -d '{}'
    [ "$STATUS" = 200 ]
}
until_ok "$WAIT" "the successor is accepted through the lb" call_new
call_sk || fail "the old key works during its grace period" "$STATUS $BODY"
ok "the old key still works during its grace period"
http DELETE "$CMD/api/v1/organizations/$ORG/api-keys/$NEW_ID" -H "Authorization: Bearer $ALICE"
expect 204 "revoke the successor"
REVOKED_AT=$(date +%s%N)

# 6. The revoked key: 401 on every edge (directly, and through the lb).
denied_everywhere() {
    local url
    for url in ${EDGES//,/ } "$LB" "$LB" "$LB"; do
        http POST "$url/api/v1/chat/message" -H "X-API-Key: $NEW_SK" -d '{}'
        [ "$STATUS" = 401 ] || return 1
    done
}
until_ok "$WAIT" "revoked key refused with 401 on every edge and through the lb" denied_everywhere
DENY_MS=$(( ($(date +%s%N) - REVOKED_AT) / 1000000 ))
[ "$(json .code)" = INVALID_API_KEY ] || fail "401 body has code INVALID_API_KEY" "$BODY"
ok "401 body: $(json -c . 2>/dev/null || echo "$BODY")"
http DELETE "$CMD/api/v1/organizations/$ORG/api-keys/$NEW_ID" -H "Authorization: Bearer $ALICE"
expect 204 "revoking again answers 204"

# 7. Usage: the read side counts every accepted call of the secret key.
counted() {
    http GET "$QRY/api/v1/organizations/$ORG/api-keys/$KEY_ID" -H "Authorization: Bearer $ALICE"
    [ "$STATUS" = 200 ] && [ "$(json '.usage_count // 0')" -ge "$ACCEPTED" ]
}
until_ok "$((WAIT * 2))" "usage_count of the secret key reaches its $ACCEPTED accepted calls" counted
COUNT=$(json .usage_count)
[ "$COUNT" = "$ACCEPTED" ] || fail "usage_count exactly $ACCEPTED" "$COUNT"
ok "usage_count = $COUNT, exactly the accepted calls"
http GET "$QRY/api/v1/organizations/$ORG/api-keys/$KEY_ID/usage?interval=minute" -H "Authorization: Bearer $ALICE"
expect 200 "usage per minute"
SUM=$(json '[.data[].requests] | add // 0')
[ "$SUM" = "$ACCEPTED" ] || fail "usage per minute adds up to $ACCEPTED" "$BODY"
ok "usage per minute adds up to $SUM"

printf 'walkthrough passed: %d steps in %d ms; revoke to 401 on every edge: %d ms (polling every 200 ms)\n' \
    "$STEPS" $(( ($(date +%s%N) - START) / 1000000 )) "$DENY_MS"
