package dev.keyledger.query.activekeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.DatabaseEntry;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActiveKeysIntegrationTest extends QueryServiceIntegrationTestBase {

    @Test
    void theCompactedViewFollowsIssueRenameOriginsPlanRollAndRevoke() {
        String org = events.createOrganization(Plan.PRO);
        String db = events.createDatabase(org, List.of("https://app.example.com"));
        KeyEvents.IssuedKey pub = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, null);
        Instant secretExpiry = Instant.parse("2030-01-01T00:00:00Z");
        KeyEvents.IssuedKey secret = events.issue(org, null, ApiKeyType.SECRET, "backend", secretExpiry, null);
        awaitProjected();

        Map<String, Optional<ActiveKeyEntry>> view = ActiveKeysView.read();
        assertThat(view.get(pub.hash()))
                .contains(new ActiveKeyEntry(
                        pub.id(), "public", org, db, "pro", 600, 100_000, List.of("https://app.example.com"), null));
        assertThat(view.get(secret.hash()))
                .contains(new ActiveKeyEntry(
                        secret.id(), "secret", org, null, "pro", 600, 100_000, List.of(), secretExpiry));
        assertThat(ActiveKeysView.databases().get(db))
                .isEqualTo(new DatabaseEntry(db, org, List.of("https://app.example.com")));

        events.rename(org, secret.id(), "backend v2");
        events.changeOrigins(org, db, List.of("https://app.example.com", "https://*.example.org"));
        awaitProjected();
        view = ActiveKeysView.read();
        assertThat(view.get(pub.hash()).orElseThrow().allowedOrigins())
                .containsExactly("https://app.example.com", "https://*.example.org");
        assertThat(ActiveKeysView.databases().get(db))
                .isEqualTo(new DatabaseEntry(db, org, List.of("https://app.example.com", "https://*.example.org")));
        assertThat(view.get(secret.hash()))
                .contains(new ActiveKeyEntry(
                        secret.id(), "secret", org, null, "pro", 600, 100_000, List.of(), secretExpiry));

        events.changePlan(org, Plan.ENTERPRISE, new RateLimits(5_000, 2_000_000));
        awaitProjected();
        view = ActiveKeysView.read();
        for (KeyEvents.IssuedKey key : List.of(pub, secret)) {
            ActiveKeyEntry entry = view.get(key.hash()).orElseThrow();
            assertThat(entry.plan()).isEqualTo("enterprise");
            assertThat(entry.requestsPerMinute()).isEqualTo(5_000);
            assertThat(entry.requestsPerDay()).isEqualTo(2_000_000);
        }

        Instant graceEnd = Instant.parse("2029-06-01T12:00:00Z");
        KeyEvents.IssuedKey successor = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, pub.id());
        events.roll(org, pub.id(), successor.id(), graceEnd);
        awaitProjected();
        view = ActiveKeysView.read();
        assertThat(view.get(pub.hash()).orElseThrow().expiresAt()).isEqualTo(graceEnd);
        assertThat(view.get(successor.hash()))
                .contains(new ActiveKeyEntry(
                        successor.id(),
                        "public",
                        org,
                        db,
                        "enterprise",
                        5_000,
                        2_000_000,
                        List.of("https://app.example.com", "https://*.example.org"),
                        null));

        events.revoke(org, secret.id());
        events.expire(org, pub.id(), graceEnd);
        awaitProjected();
        view = ActiveKeysView.read();
        assertThat(view.get(secret.hash())).isEmpty();
        assertThat(view.get(pub.hash())).isEmpty();
        assertThat(view.get(successor.hash())).isPresent();
    }

    @Test
    void aDatabaseWithoutKeysIsPublishedWithItsOrganization() {
        String org = events.createOrganization(Plan.FREE);
        String db = events.createDatabase(org, List.of());
        awaitProjected();

        assertThat(ActiveKeysView.databases().get(db)).isEqualTo(new DatabaseEntry(db, org, List.of()));
    }

    @Test
    void anEntryWaitsForItsOrganizationAndDatabaseWhenTheyArriveLater() {
        String org =
                "org_01KQ" + Long.toString(System.nanoTime(), 32).toUpperCase().substring(0, 8) + "0000000000000A";
        String db =
                "db_01KQ" + Long.toString(System.nanoTime(), 32).toUpperCase().substring(0, 8) + "0000000000000B";
        KeyEvents.IssuedKey early = events.issue(org, db, ApiKeyType.PUBLIC, "early", null, null);
        awaitProjected();
        assertThat(ActiveKeysView.read()).doesNotContainKey(early.hash());

        events.emit(
                new dev.keyledger.contracts.database.DatabaseCreatedEvent(
                        db, org, "late db", List.of("https://late.example.com")),
                KeyEvents.ALICE);
        awaitProjected();
        assertThat(ActiveKeysView.read()).doesNotContainKey(early.hash());

        events.emit(
                new dev.keyledger.contracts.organization.OrganizationCreatedEvent(
                        org, "late org", Plan.FREE, Plan.FREE.defaultLimits()),
                KeyEvents.ALICE);
        awaitProjected();
        assertThat(ActiveKeysView.read().get(early.hash()))
                .contains(new ActiveKeyEntry(
                        early.id(), "public", org, db, "free", 10, 1_000, List.of("https://late.example.com"), null));
    }
}
