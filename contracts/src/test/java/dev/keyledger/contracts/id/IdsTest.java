package dev.keyledger.contracts.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsCarryTheirTypePrefixAndAreValid() {
        assertThat(Ids.newOrganizationId()).startsWith("org_").hasSize(30);
        assertThat(Ids.isValid(Ids.newDatabaseId(), Ids.DATABASE_PREFIX)).isTrue();
        assertThat(Ids.isValid(Ids.newKeyId(), Ids.KEY_PREFIX)).isTrue();
    }

    @Test
    void rejectsWrongPrefixLengthAndAlphabet() {
        assertThat(Ids.isValid(Ids.newKeyId(), Ids.DATABASE_PREFIX)).isFalse();
        assertThat(Ids.isValid("key_123", Ids.KEY_PREFIX)).isFalse();
        assertThat(Ids.isValid("key_" + "U".repeat(26), Ids.KEY_PREFIX)).isFalse();
        assertThat(Ids.isValid(null, Ids.KEY_PREFIX)).isFalse();
    }

    @Test
    void idsAreUniqueAndSortByCreationTime() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(Ids.ulid())).isTrue();
        }
        String earlier = Ids.ulid();
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() == start) {
            Thread.onSpinWait();
        }
        assertThat(Ids.ulid().substring(0, 10)).isGreaterThan(earlier.substring(0, 10));
    }
}
