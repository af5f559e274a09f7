package dev.keyledger.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-1000000000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z",
                "+300000-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z",
                "0000-01-01T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-01-01T00:00:00+18:01",
                "2026-01-01T00:00:00",
                "2026-01-01",
                "1767225600",
                "2026-01-01T00:00:00Z\u0000",
                "2026-01-01T00:00:00Z\t",
                "\ud800",
                "2026-01-01T00:00:00.0000000000Z"
            })
    void refusesInstantsOutsideTheRangeOrTheGrammar(String value) {
        assertThatThrownBy(() -> QueryParameters.instant("from", unescape(value)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo("VALIDATION_FAILED");
                    assertThat(e.error().details().getFirst().field()).isEqualTo("from");
                });
    }

    @Test
    void refusesAnInstantLongerThanAnyIsoInstantWithoutParsingIt() {
        String huge = "2026-01-01T00:00:00" + "0".repeat(100_000) + "Z";

        assertThatThrownBy(() -> QueryParameters.instant("to", huge)).isInstanceOf(ApiException.class);
    }

    @Test
    void acceptsTheBoundsOffsetsAndLeapSeconds() {
        assertThat(QueryParameters.instant("from", "1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
        assertThat(QueryParameters.instant("to", "9999-12-31T23:59:59.999999Z")).isEqualTo(QueryParameters.LATEST);
        assertThat(QueryParameters.instant("from", "2026-01-01T02:00:00+02:00"))
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        // ISO-8601 leap second: read as the last second of the minute, as java.time does.
        assertThat(QueryParameters.instant("from", "2016-12-31T23:59:60Z"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @Test
    void equalBoundsAreAnEmptyRangeNotAnError() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        QueryParameters.range(now, now);
        QueryParameters.range(null, now);
        QueryParameters.range(now, null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "db_",
                "db",
                "org_01JH0000000000000000000000",
                "DB_01JH0000000000000000000000",
                "db_01JH00000000000000000000%00",
                "db_01JH-0000",
                "db_01JH/../x",
                "db_01JH;x",
                "db_\u0000",
                "db_\ud800",
                "db_ä",
                " db_01JH0000000000000000000000"
            })
    void refusesMalformedDatabaseIds(String value) {
        assertThatThrownBy(() -> QueryParameters.id("database_id", unescape(value), "db_"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.error().details().getFirst().field()).isEqualTo("database_id");
                });
    }

    @Test
    void refusesAnIdLongerThanSixtyFourCharacters() {
        assertThatThrownBy(() -> QueryParameters.id("database_id", "db_" + "A".repeat(62), "db_"))
                .isInstanceOf(ApiException.class);
        assertThat(QueryParameters.id("database_id", "db_" + "A".repeat(61), "db_"))
                .hasSize(64);
    }

    @Test
    void acceptsWellFormedIdsAndTreatsAbsentAsNoFilter() {
        assertThat(QueryParameters.id("database_id", "db_01JH0000000000000000000000", "db_"))
                .isEqualTo("db_01JH0000000000000000000000");
        assertThat(QueryParameters.id("database_id", null, "db_")).isNull();
        assertThat(QueryParameters.id("database_id", "", "db_")).isNull();
    }

    @Test
    void aMalformedPathIdIsNotFound() {
        assertThatThrownBy(() -> QueryParameters.pathId("key_..", "key_", "No such API key"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(404);
                    assertThat(e.error().code()).isEqualTo("NOT_FOUND");
                });
        assertThat(QueryParameters.pathId("key_01JH", "key_", "No such API key"))
                .isEqualTo("key_01JH");
    }

    /** Test values spell NUL, tab and lone surrogates as Java escapes so the source stays readable. */
    private static String unescape(String value) {
        return value.replace("\\u0000", "\u0000").replace("\\t", "\t").replace("\\ud800", "\ud800");
    }
}
