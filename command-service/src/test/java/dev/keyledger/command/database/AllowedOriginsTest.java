package dev.keyledger.command.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.command.domain.DomainRuleViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list rule; the grammar of one origin is OriginPatternTest's (contracts). */
class AllowedOriginsTest {

    @Test
    void keepsOrderAndStoresCanonicalForms() {
        assertThat(AllowedOrigins.validate(
                        List.of("https://B.example.com", "http://localhost:3000", "https://a.example.com:443")))
                .containsExactly("https://b.example.com", "http://localhost:3000", "https://a.example.com");
    }

    @Test
    void dropsDuplicatesAfterCanonicalisation() {
        assertThat(AllowedOrigins.validate(List.of("https://app.example.com", "HTTPS://APP.example.com:443")))
                .containsExactly("https://app.example.com");
    }

    @Test
    void anEmptyListIsAllowed() {
        assertThat(AllowedOrigins.validate(List.of())).isEmpty();
    }

    @Test
    void namesEveryBadEntryByItsIndex() {
        assertThatThrownBy(() -> AllowedOrigins.validate(List.of(
                        "https://ok.example.com", "https://example.com/", "https://ok2.example.com", "http://*.x.com")))
                .isInstanceOfSatisfying(
                        DomainRuleViolation.class,
                        e -> assertThat(e.violations())
                                .extracting(DomainRuleViolation.Violation::field)
                                .containsExactly("allowed_origins[1]", "allowed_origins[3]"));
    }

    @Test
    void acceptsOneHundredOriginsAndRefusesMore() {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < AllowedOrigins.MAX_ORIGINS; i++) {
            origins.add("https://a" + i + ".example.com");
        }
        assertThat(AllowedOrigins.validate(origins)).hasSize(100);
        origins.add("https://one-too-many.example.com");
        assertThatThrownBy(() -> AllowedOrigins.validate(origins))
                .isInstanceOfSatisfying(
                        DomainRuleViolation.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("allowed_origins"));
    }

    @Test
    void refusesMissingListAndNullEntries() {
        assertThatThrownBy(() -> AllowedOrigins.validate(null)).isInstanceOf(DomainRuleViolation.class);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> AllowedOrigins.validate(withNull))
                .isInstanceOfSatisfying(
                        DomainRuleViolation.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("allowed_origins[0]"));
    }
}
