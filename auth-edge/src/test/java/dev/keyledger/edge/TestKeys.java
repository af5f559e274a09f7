package dev.keyledger.edge;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import java.time.Instant;
import java.util.List;

/** Test keys with the changelog entries that make them active. */
public final class TestKeys {

    private TestKeys() {}

    /** A generated key and the entry the query-service would publish for it. */
    public record TestKey(GeneratedApiKey key, ActiveKeyEntry entry) {

        public String plaintext() {
            return key.plaintext();
        }

        public String hash() {
            return key.hash();
        }
    }

    public static TestKey secret(String organizationId, long perMinute, long perDay) {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
        return new TestKey(
                key,
                new ActiveKeyEntry(
                        Ids.newKeyId(),
                        "secret",
                        organizationId,
                        null,
                        "enterprise",
                        perMinute,
                        perDay,
                        List.of(),
                        null));
    }

    public static TestKey publicKey(
            String organizationId, String databaseId, List<String> origins, long perMinute, long perDay) {
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.PUBLIC);
        return new TestKey(
                key,
                new ActiveKeyEntry(
                        Ids.newKeyId(),
                        "public",
                        organizationId,
                        databaseId,
                        "enterprise",
                        perMinute,
                        perDay,
                        origins,
                        null));
    }

    public static TestKey expiring(TestKey key, Instant expiresAt) {
        ActiveKeyEntry e = key.entry();
        return new TestKey(
                key.key(),
                new ActiveKeyEntry(
                        e.keyId(),
                        e.type(),
                        e.organizationId(),
                        e.databaseId(),
                        e.plan(),
                        e.requestsPerMinute(),
                        e.requestsPerDay(),
                        e.allowedOrigins(),
                        expiresAt));
    }
}
