package dev.keyledger.query.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The rotation gauge counts active, unexpired keys older than 90 days per organization plan. */
class KeyRotationMetricsIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    KeyRotationMetrics metrics;

    @Test
    void countsOldActiveKeysPerPlanOnly() {
        awaitProjected();
        Instant now = Instant.now();
        metrics.refresh(now);
        long enterpriseBefore = metrics.overdue("enterprise");
        long freeBefore = metrics.overdue("free");

        String org = Ids.newOrganizationId();
        jdbc.update(
                "INSERT INTO organizations (id, name, plan, requests_per_minute, requests_per_day, created_at,"
                        + " last_sequence) VALUES (?, 'rotation', 'enterprise', 5000, 1000000, ?, 0)",
                org,
                at(now.minus(Duration.ofDays(400))));
        key(org, now.minus(Duration.ofDays(120)), "active", null);
        key(org, now.minus(Duration.ofDays(91)), "active", now.plus(Duration.ofDays(1)));
        key(org, now.minus(Duration.ofDays(89)), "active", null);
        key(org, now.minus(Duration.ofDays(200)), "revoked", null);
        key(org, now.minus(Duration.ofDays(200)), "active", now.minus(Duration.ofDays(1)));

        metrics.refresh(now);
        assertThat(metrics.overdue("enterprise") - enterpriseBefore).isEqualTo(2);
        assertThat(metrics.overdue("free")).isEqualTo(freeBefore);
    }

    private void key(String org, Instant createdAt, String status, Instant expiresAt) {
        jdbc.update(
                "INSERT INTO api_keys (id, organization_id, type, name, key_hash, last_four, created_at, expires_at,"
                        + " status, last_sequence) VALUES (?, ?, 'secret', 'rotation', ?, 'AAAA', ?, ?, ?, 0)",
                Ids.newKeyId(),
                org,
                Ids.ulid(),
                at(createdAt),
                expiresAt == null ? null : at(expiresAt),
                status);
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
