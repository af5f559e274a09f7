package dev.keyledger.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void absentValuesAreNull() {
        assertThat(QueryParameters.instant("from", null)).isNull();
        assertThat(QueryParameters.instant("from", " ")).isNull();
        assertThat(QueryParameters.oneOf("status", "", Set.of("active"))).isNull();
    }

    @Test
    void parsesIsoInstantsAndKnownValues() {
        assertThat(QueryParameters.instant("from", "2026-01-31T12:00:00Z"))
                .isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(QueryParameters.oneOf("status", "active", Set.of("active"))).isEqualTo("active");
    }

    @Test
    void rejectsWithTheParameterName() {
        assertThatThrownBy(() -> QueryParameters.instant("to", "tomorrow"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.error().details().getFirst().field()).isEqualTo("to");
                });
        assertThatThrownBy(() -> QueryParameters.oneOf("type", "private", Set.of("secret", "public")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.error().code()).isEqualTo("VALIDATION_FAILED"));
        assertThatThrownBy(() -> QueryParameters.range(Instant.parse("2026-02-01T00:00:00Z"), Instant.EPOCH))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void errorJsonForFiltersEscapesQuotes() {
        assertThat(ApiError.forbidden("say \"no\"").toJson())
                .isEqualTo(
                        "{\"error\":\"forbidden\",\"message\":\"say \\\"no\\\"\",\"code\":\"INSUFFICIENT_PERMISSIONS\"}");
    }
}
