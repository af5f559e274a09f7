# Traffic for verify-observability.sh (sourced; uses its EDGE, CMD, QRY, IDP variables and log/fail).
# Creates two organizations and their keys through the command-service, then sends every kind of
# answer through the edge so each outcome label of keyledger_edge_verifications_total moves:
# accepted (proxy and forward-auth, secret and public keys), 401 (missing, malformed, bad checksum,
# revoked), 403 (origin and scope), 429 (a free-plan key past 10 requests a minute). Key plaintexts
# stay in shell variables and are never printed.

TRAFFIC_ERRORS=0
TRAFFIC_ORG_ID=

# Runs curl and checks the HTTP status: expect STATUS DESCRIPTION curl-arguments...
expect() {
    local want=$1 what=$2 got
    shift 2
    got=$(curl -s -o "$WORK/last-body.json" -w '%{http_code}' --max-time 15 "$@")
    if [ "$got" != "$want" ]; then
        TRAFFIC_ERRORS=$((TRAFFIC_ERRORS + 1))
        echo "      traffic: $what answered $got, expected $want: $(head -c 300 "$WORK/last-body.json")"
        return 1
    fi
    return 0
}

body() { cat "$WORK/last-body.json"; }

token() {
    curl -s --max-time 10 "$IDP/dev/token" -H 'Content-Type: application/json' -d "$1" | jq -r .access_token
}

# POST JSON with a bearer token; prints nothing, leaves the body in last-body.json.
post() { expect "$1" "$2" -X POST "$3" -H "Authorization: Bearer $4" -H 'Content-Type: application/json' -d "$5"; }

chat() {
    # chat STATUS DESCRIPTION KEY [extra curl args...]
    local want=$1 what=$2 key=$3
    shift 3
    expect "$want" "$what" -X POST "$EDGE/api/v1/chat/message" -H "X-API-Key: $key" \
        -H 'Content-Type: application/json' -d '{"message":"hi"}' "$@"
}

# Waits (bounded) until the edge answers STATUS for KEY; prints the milliseconds it took.
wait_edge() {
    local want=$1 key=$2 limit_s=$3 start now got
    shift 3
    start=$(date +%s%N)
    while true; do
        got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X GET "$EDGE/_keyledger/auth" -H "X-API-Key: $key" "$@")
        now=$(date +%s%N)
        if [ "$got" = "$want" ]; then
            echo $(((now - start) / 1000000))
            return 0
        fi
        if [ $(((now - start) / 1000000000)) -ge "$limit_s" ]; then
            echo "timeout (last answer $got)"
            return 1
        fi
        sleep 0.05
    done
}

drive_traffic() {
    local run admin acme tiny alice bob member db other sk pk revoked rolled free_sk ms i code
    run=$(date +%s)
    admin=$(token '{"subject":"observability-check","roles":["platform_admin"]}')
    [ -n "$admin" ] && [ "$admin" != null ] || { echo "      traffic: no token from the IdP at $IDP"; return 1; }

    post 201 "create organization (pro)" "$CMD/api/v1/organizations" "$admin" "{\"name\":\"Observability $run\",\"plan\":\"pro\"}" || return 1
    acme=$(body | jq -r .id)
    TRAFFIC_ORG_ID=$acme
    post 201 "create organization (free)" "$CMD/api/v1/organizations" "$admin" "{\"name\":\"Observability free $run\",\"plan\":\"free\"}" || return 1
    tiny=$(body | jq -r .id)
    alice=$(token "{\"subject\":\"alice\",\"organization_id\":\"$acme\",\"roles\":[\"org_admin\"]}")
    member=$(token "{\"subject\":\"mallory\",\"organization_id\":\"$acme\",\"roles\":[\"org_member\"]}")
    bob=$(token "{\"subject\":\"bob\",\"organization_id\":\"$tiny\",\"roles\":[\"org_admin\"]}")

    post 201 "create database" "$CMD/api/v1/organizations/$acme/databases" "$alice" \
        '{"name":"main","allowed_origins":["https://app.observability.test"]}' || return 1
    db=$(body | jq -r .id)
    post 201 "create second database" "$CMD/api/v1/organizations/$acme/databases" "$alice" \
        '{"name":"other","allowed_origins":["https://other.observability.test"]}' || return 1
    other=$(body | jq -r .id)
    post 201 "create secret key" "$CMD/api/v1/organizations/$acme/api-keys" "$alice" '{"name":"backend"}' || return 1
    sk=$(body | jq -r .key)
    post 201 "create public key" "$CMD/api/v1/organizations/$acme/databases/$db/api-keys" "$alice" '{"name":"web app"}' || return 1
    pk=$(body | jq -r .key)
    post 201 "create key to revoke" "$CMD/api/v1/organizations/$acme/api-keys" "$alice" '{"name":"to revoke"}' || return 1
    revoked=$(body | jq -r .key)
    local revoked_id
    revoked_id=$(body | jq -r .id)
    post 201 "create key to roll" "$CMD/api/v1/organizations/$acme/api-keys" "$alice" '{"name":"to roll"}' || return 1
    rolled=$(body | jq -r .id)
    post 201 "create free-plan key" "$CMD/api/v1/organizations/$tiny/api-keys" "$bob" '{"name":"free backend"}' || return 1
    free_sk=$(body | jq -r .key)

    # Portal calls that fail on purpose (command outcomes and HTTP 4xx on the command-service).
    expect 200 "rename key" -X PATCH "$CMD/api/v1/organizations/$acme/api-keys/$rolled" \
        -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' -d '{"name":"to roll (renamed)"}'
    post 201 "roll key" "$CMD/api/v1/organizations/$acme/api-keys/$rolled/roll" "$alice" '{"grace_period_seconds":3600}'
    expect 403 "X-API-Key on the command-service" -X POST "$CMD/api/v1/organizations/$acme/api-keys" \
        -H "X-API-Key: $sk" -H 'Content-Type: application/json' -d '{"name":"x"}'
    post 400 "invalid plan" "$CMD/api/v1/organizations" "$admin" '{"name":"bad","plan":"platinum"}'
    expect 404 "revoke unknown key" -X DELETE "$CMD/api/v1/organizations/$acme/api-keys/key_01JH0000000000000000000000" \
        -H "Authorization: Bearer $alice"

    # The edge learns about keys through the query-service's changelog: wait until it accepts them.
    if ! ms=$(wait_edge 200 "$sk" 90); then
        echo "      traffic: the edge never accepted the new secret key ($ms)"
        TRAFFIC_ERRORS=$((TRAFFIC_ERRORS + 1))
        return 1
    fi
    log "edge accepted a new key ${ms} ms after polling started"
    wait_edge 200 "$free_sk" 30 > /dev/null
    wait_edge 200 "$revoked" 30 > /dev/null

    for ((i = 0; i < 30; i++)); do chat 200 "accepted secret key" "$sk"; done
    for ((i = 0; i < 10; i++)); do
        chat 200 "accepted public key" "$pk" -H 'Origin: https://app.observability.test'
        expect 200 "forward-auth" "$EDGE/_keyledger/auth" -H "X-API-Key: $sk" -H 'X-Forwarded-Method: GET' -H 'X-Forwarded-Uri: /api/v1/things'
    done
    for ((i = 0; i < 5; i++)); do
        expect 401 "missing key" -X POST "$EDGE/api/v1/chat/message" -d '{}'
        chat 401 "malformed key" "sk_not_a_key"
        chat 401 "bad checksum" "${sk%?}$( [ "${sk: -1}" = A ] && echo B || echo A )"
        chat 403 "public key without Origin" "$pk"
        chat 403 "public key from another origin" "$pk" -H 'Origin: https://evil.observability.test'
        chat 403 "public key for another database" "$pk" -H 'Origin: https://app.observability.test' -H "X-Database-Id: $other"
        chat 403 "secret key from a browser" "$sk" -H 'Origin: https://app.observability.test'
    done
    # Free plan: 10 requests a minute, so some of these 15 are 429 (how many depends on the window).
    local limited=0
    for ((i = 0; i < 15; i++)); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$EDGE/api/v1/chat/message" -H "X-API-Key: $free_sk" -d '{}')
        [ "$code" = 429 ] && limited=$((limited + 1))
    done
    if [ "$limited" -eq 0 ]; then
        echo "      traffic: no 429 for 15 requests of a free-plan key"
        TRAFFIC_ERRORS=$((TRAFFIC_ERRORS + 1))
    fi

    # Portal reads on the query-service.
    expect 200 "list keys" "$QRY/api/v1/organizations/$acme/api-keys" -H "Authorization: Bearer $member"
    expect 200 "list databases" "$QRY/api/v1/organizations/$acme/databases" -H "Authorization: Bearer $member"
    expect 200 "audit log" "$QRY/api/v1/organizations/$acme/audit-log" -H "Authorization: Bearer $member"
    expect 401 "read without token" "$QRY/api/v1/organizations/$acme/api-keys"

    # Revoke and measure how long the edge still accepts the key.
    expect 204 "revoke key" -X DELETE "$CMD/api/v1/organizations/$acme/api-keys/$revoked_id" -H "Authorization: Bearer $alice" || return 1
    if ms=$(wait_edge 401 "$revoked" 30); then
        log "revoked key denied by the edge ${ms} ms after the revoke call answered"
    else
        echo "      traffic: the edge still accepts the revoked key ($ms)"
        TRAFFIC_ERRORS=$((TRAFFIC_ERRORS + 1))
    fi
    for ((i = 0; i < 3; i++)); do chat 401 "revoked key" "$revoked"; done
    for ((i = 0; i < 10; i++)); do chat 200 "accepted secret key" "$sk"; done

    log "traffic done ($TRAFFIC_ERRORS unexpected answers)"
    [ "$TRAFFIC_ERRORS" -eq 0 ]
}
