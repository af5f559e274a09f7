package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeyRowTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ApiKeyRow issued(ApiKeyType type) {
        return ApiKeyRow.issued(
                new ApiKeyIssuedEvent("key_1", "org_1", "db_1", type, "n", "hash", "abcd", "pk_plain", null, "key_0"),
                T0,
                "alice",
                0);
    }

    @Test
    void anIssuedKeyIsActiveAndCreatedByTheActor() {
        ApiKeyRow row = issued(ApiKeyType.PUBLIC);
        assertThat(row.status()).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(row.createdBy()).isEqualTo("alice");
        assertThat(row.createdAt()).isEqualTo(T0);
        assertThat(row.replaces()).isEqualTo("key_0");
        assertThat(row.publicKey()).isEqualTo("pk_plain");
    }

    @Test
    void aSecretKeyNeverKeepsAPlaintextEvenIfOneWasSent() {
        assertThat(issued(ApiKeyType.SECRET).publicKey()).isNull();
    }

    @Test
    void rollingKeepsTheKeyActiveUntilItsNewExpiryAndNamesTheSuccessor() {
        Instant graceEnd = T0.plusSeconds(3600);
        ApiKeyRow rolled = issued(ApiKeyType.PUBLIC).rolled("key_2", graceEnd, 1);
        assertThat(rolled.status()).isEqualTo(ApiKeyStatus.ACTIVE);
        assertThat(rolled.expiresAt()).isEqualTo(graceEnd);
        assertThat(rolled.replacedBy()).isEqualTo("key_2");
        assertThat(rolled.lastSequence()).isEqualTo(1);
    }

    @Test
    void revokingRecordsWhoAndWhen() {
        ApiKeyRow revoked = issued(ApiKeyType.SECRET).revoked(T0.plusSeconds(5), "bob", 1);
        assertThat(revoked.status()).isEqualTo(ApiKeyStatus.REVOKED);
        assertThat(revoked.revokedBy()).isEqualTo("bob");
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void expiringAndRenamingChangeOnlyTheirFields() {
        ApiKeyRow row = issued(ApiKeyType.SECRET).renamed("m", 1).expired(2);
        assertThat(row.name()).isEqualTo("m");
        assertThat(row.status()).isEqualTo(ApiKeyStatus.EXPIRED);
        assertThat(row.revokedAt()).isNull();
        assertThat(row.lastSequence()).isEqualTo(2);
    }
}
