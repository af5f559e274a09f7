\set r random(1, 1000000000)
BEGIN;
INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp)
VALUES ('key_' || :client_id || '_' || :r || '_' || txid_current(), 0, 'ApiKey', gen_random_uuid()::text,
 convert_to('{"subject":"bench","ip":"127.0.0.1","userAgent":"wrk","traceId":"0123456789abcdef0123456789abcdef"}','UTF8'),
 convert_to('{"keyId":"key_01JABCDEFGHJKMNPQRSTVWXYZ","organizationId":"org_' || :client_id || '","databaseId":null,"type":"SECRET","name":"bench key","hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","lastFour":"abcd","publicKey":null,"expiresAt":null,"predecessorKeyId":null}','UTF8'),
 null, 'dev.keyledger.contracts.apikey.ApiKeyIssuedEvent', '2026-12-04T01:00:00.000Z');
COMMIT;
