package dev.keyledger.contracts.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UtcInstantTest {

    @ParameterizedTest
    @CsvSource({
        "2030-01-31T12:00:00Z, 2030-01-31T12:00:00Z",
        "2030-01-31T12:00:00.5Z, 2030-01-31T12:00:00.500Z",
        "2030-01-31T12:00:00.123456789Z, 2030-01-31T12:00:00.123456789Z",
        "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
        "2028-02-29T00:00:00Z, 2028-02-29T00:00:00Z",
    })
    void parsesStrictUtcInstants(String raw, String expected) {
        assertThat(UtcInstant.parse(raw)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2030-01-31",
                "2030-01-31T12:00Z",
                "2030-01-31T12:00:00",
                "2030-01-31 12:00:00Z",
                "2030-01-31t12:00:00z",
                "2030-01-31T12:00:00+00:00",
                "2030-01-31T12:00:00+02:00",
                "2030-01-31T12:00:00.Z",
                "2030-01-31T12:00:00.1234567890Z",
                "+10000-01-01T00:00:00Z",
                "-1000000000-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "2016-12-31T23:59:60Z", // leap second
                "2030-01-31T24:00:00Z",
                "2030-02-30T00:00:00Z",
                "2029-02-29T00:00:00Z",
                "2030-13-01T00:00:00Z",
                "2030-1-01T00:00:00Z",
                "20３0-01-31T12:00:00Z", // full-width digit
                "1893456000",
                "2030-01-31T12:00:00ZZ",
            })
    void refusesEverythingElse(String raw) {
        assertThatThrownBy(() -> UtcInstant.parse(raw)).isInstanceOf(InvalidValueException.class);
    }
}
