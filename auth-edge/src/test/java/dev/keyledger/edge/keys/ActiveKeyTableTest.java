package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveKeyTableTest {

    private final ActiveKeyTable table = new ActiveKeyTable();
    private final KeyEntryParser parser = new KeyEntryParser();

    @Test
    void findsEveryInsertedKeyAcrossResizesAndForgetsRemovedOnes() {
        List<long[]> hashes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
            hashes.add(hash);
            table.put(parser.parse(hash, entry("key_" + i, "org_1", null, List.of())));
        }
        for (int i = 0; i < 5000; i += 2) {
            table.remove(hashes.get(i));
        }

        assertThat(table.size()).isEqualTo(2500);
        for (int i = 0; i < 5000; i++) {
            long[] h = hashes.get(i);
            KeyEntry found = table.get(h[0], h[1], h[2], h[3]);
            if (i % 2 == 0) {
                assertThat(found).isNull();
            } else {
                assertThat(found.keyId()).isEqualTo("key_" + i);
            }
        }
    }

    @Test
    void replacingAnEntryUpdatesItInPlace() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.PUBLIC).hash());
        table.put(parser.parse(hash, entry("key_1", "org_1", "db_1", List.of("https://a.example.com"))));
        table.put(parser.parse(hash, entry("key_1", "org_1", "db_1", List.of("https://b.example.com"))));

        assertThat(table.size()).isEqualTo(1);
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])
                        .allowedOrigins()
                        .allows("https://b.example.com"))
                .isTrue();
        assertThat(table.anyDatabaseAllows("https://a.example.com")).isFalse();
        assertThat(table.anyDatabaseAllows("https://b.example.com")).isTrue();
    }

    @Test
    void knowsTheOrganizationOfADatabaseWhileItHasPublicKeys() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.PUBLIC).hash());
        table.put(parser.parse(hash, entry("key_1", "org_1", "db_1", List.of("https://a.example.com"))));
        assertThat(table.organizationOfDatabase("db_1")).isEqualTo("org_1");

        table.remove(hash);

        assertThat(table.organizationOfDatabase("db_1")).isNull();
    }

    @Test
    void aDatabaseRecordKeepsItsOwnerAfterTheLastPublicKeyIsRemoved() {
        table.putDatabase("db_2", "org_2");
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.PUBLIC).hash());
        table.put(parser.parse(hash, entry("key_2", "org_2", "db_2", List.of("https://a.example.com"))));

        table.remove(hash);

        assertThat(table.organizationOfDatabase("db_2")).isEqualTo("org_2");
        assertThat(table.organizationOfDatabase("db_unknown")).isNull();
    }

    @Test
    void preflightIndexMatchesWildcardsByTheSharedGrammar() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.PUBLIC).hash());
        table.put(parser.parse(
                hash, entry("key_1", "org_1", "db_1", List.of("https://*.shop.example", "http://localhost:3000"))));

        assertThat(table.anyDatabaseAllows("https://a.shop.example")).isTrue();
        assertThat(table.anyDatabaseAllows("http://localhost:3000")).isTrue();
        assertThat(table.anyDatabaseAllows("https://a.b.shop.example")).isFalse();
        assertThat(table.anyDatabaseAllows("https://shop.example")).isFalse();
        assertThat(table.anyDatabaseAllows("http://a.shop.example")).isFalse();
        assertThat(table.anyDatabaseAllows("https://*.shop.example")).isFalse();
        assertThat(table.anyDatabaseAllows(null)).isFalse();

        table.remove(hash);

        assertThat(table.anyDatabaseAllows("https://a.shop.example")).isFalse();
    }

    @Test
    void invalidOrNullOriginsOfARecordAreDropped() {
        List<String> origins = new ArrayList<>();
        origins.add("https://ok.example.com");
        origins.add(null);
        origins.add("https://bad.example.com/");
        KeyEntry entry = parser.parse(new long[4], entry("key_1", "org_1", "db_1", origins));

        assertThat(entry.allowedOrigins().source()).containsExactly("https://ok.example.com");
    }

    @Test
    void sharedIdentifiersAndOriginListsAreInternedOnce() {
        KeyEntry a = parser.parse(new long[4], entry("key_a", new String("org_1"), "db_1", List.of("https://x.io")));
        KeyEntry b = parser.parse(new long[4], entry("key_b", new String("org_1"), "db_1", List.of("https://x.io")));

        assertThat(a.organizationId()).isSameAs(b.organizationId());
        assertThat(a.allowedOrigins()).isSameAs(b.allowedOrigins());
    }

    @Test
    void aKeyRevokedAheadOfTheChangelogIsNotPutBackByAnOlderEntryEvenAfterATombstone() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
        KeyEntry entry = parser.parse(hash, entry("key_ahead", "org_1", null, List.of()));
        assertThat(table.put(entry)).isTrue();

        assertThat(table.revoke(hash, "key_ahead")).isTrue();
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isNull();
        assertThat(table.revokedAheadCount()).isOne();
        // An entry published before the revocation was projected, read after it: held back.
        assertThat(table.put(entry)).isFalse();
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isNull();
        assertThat(table.size()).isZero();

        // A tombstone (a suspension's, or the projection's early one) followed by an entry (the
        // reactivation's, or a retried poll's): still held back, a revocation is final.
        assertThat(table.remove(hash)).isFalse();
        assertThat(table.put(entry)).isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void aKeyRevokedBeforeItsEntryArrivedIsHeldBackToo() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());

        assertThat(table.revoke(hash, "key_early")).isFalse();
        assertThat(table.put(parser.parse(hash, entry("key_early", "org_1", null, List.of()))))
                .isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void aRevocationWhoseHashIsAnotherKeysRemovesAndHoldsBackNothing() {
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
        KeyEntry entry = parser.parse(hash, entry("key_innocent", "org_1", null, List.of()));
        table.put(entry);

        assertThat(table.revoke(hash, "key_other")).isFalse();
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isSameAs(entry);
        assertThat(table.put(entry)).isTrue();
    }

    @Test
    void revokedAheadHashesAreForgottenAfterTheirRetention() {
        ActiveKeyTable shortMemory = new ActiveKeyTable(java.time.Duration.ZERO);
        long[] first = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
        long[] second = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
        shortMemory.revoke(first, "key_first");
        shortMemory.revoke(second, "key_second"); // forgets the first, whose retention has passed

        assertThat(shortMemory.revokedAheadCount()).isOne();
        assertThat(shortMemory.revokedAheadEvicted()).isZero();
        assertThat(shortMemory.put(parser.parse(first, entry("key_first", "org_1", null, List.of()))))
                .isTrue();
    }

    @Test
    void revokedAheadHashesAreBoundedAndTheEvictionsCounted() {
        for (int i = 0; i < ActiveKeyTable.REVOKED_AHEAD_LIMIT + 10; i++) {
            table.revoke(new long[] {i, 1, 2, 3}, "key_" + i);
        }
        assertThat(table.revokedAheadCount()).isEqualTo(ActiveKeyTable.REVOKED_AHEAD_LIMIT);
        assertThat(table.revokedAheadEvicted()).isEqualTo(10);
        // The oldest went first.
        assertThat(table.put(parser.parse(new long[] {0, 1, 2, 3}, entry("key_0", "org_1", null, List.of()))))
                .isTrue();
        assertThat(table.put(parser.parse(new long[] {20, 1, 2, 3}, entry("key_20", "org_1", null, List.of()))))
                .isFalse();
    }

    static ActiveKeyEntry entry(String keyId, String org, String db, List<String> origins) {
        return new ActiveKeyEntry(keyId, db == null ? "secret" : "public", org, db, "free", 10, 1000, origins, null);
    }

    static long[] hash(String hex) {
        long[] out = new long[4];
        assertThat(KeyHashes.parseHex(hex, out)).isTrue();
        return out;
    }

    @Test
    void aPackedKeyIdIsRevokedByItsExactTextOnlyAndThenHeldBack() {
        String id = dev.keyledger.contracts.id.Ids.newKeyId();
        long[] hash = hash(ApiKeyFormat.generate(ApiKeyType.SECRET).hash());
        KeyEntry entry = parser.parse(hash, entry(id, "org_1", null, List.of()));
        assertThat(entry.packedId()).isNotNull();
        assertThat(table.put(entry)).isTrue();

        assertThat(table.revoke(hash, id.toLowerCase(java.util.Locale.ROOT))).isFalse();
        assertThat(table.revoke(hash, dev.keyledger.contracts.id.Ids.newKeyId()))
                .isFalse();
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isSameAs(entry);

        assertThat(table.revoke(hash, new String(id))).isTrue();
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isNull();
        assertThat(table.put(entry)).isFalse();
        assertThat(table.remove(hash)).isFalse();
        assertThat(table.put(parser.parse(hash, entry(id, "org_1", null, List.of()))))
                .isFalse();
    }
}
