package dev.keyledger.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/**
 * Fuzzed query parameters of the read API: each parser returns a bounded value or throws the
 * {@link ApiException} the error JSON is made from (400, or 404 for a path id), never anything
 * else. Regression mode replays {@code QueryParametersFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * explores (docs/security.md).
 */
class QueryParametersFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void everyParameterIsBoundedOrA4xx(byte[] input) {
        String value = text(input);

        Instant instant = expect400(() -> QueryParameters.instant("from", value));
        if (instant != null) {
            assertThat(instant).isBetween(QueryParameters.EARLIEST, QueryParameters.LATEST);
        }
        String databaseId = expect400(() -> QueryParameters.id("database_id", value, "db_"));
        if (databaseId != null) {
            assertThat(databaseId).matches("db_[0-9A-Za-z]{1,61}");
        }
        String status = expect400(() -> QueryParameters.oneOf("status", value, Set.of("active", "revoked")));
        if (status != null) {
            assertThat(status).isIn("active", "revoked");
        }
        try {
            assertThat(QueryParameters.pathId(value, "key_", "No such API key")).isEqualTo(value);
        } catch (ApiException e) {
            assertThat(e.status().value()).isEqualTo(404);
            assertThat(e.error().code()).isEqualTo("NOT_FOUND");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void rangesOfParsedInstantsNeverThrowAnythingElse(byte[] input) {
        int half = input.length / 2;
        String from = new String(input, 0, half, StandardCharsets.UTF_8);
        String to = new String(input, half, input.length - half, StandardCharsets.UTF_8);

        expect400(() -> {
            QueryParameters.range(QueryParameters.instant("from", from), QueryParameters.instant("to", to));
            return null;
        });
    }

    private static <T> T expect400(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ApiException e) {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.error().code()).isEqualTo("VALIDATION_FAILED");
            assertThat(e.error().details()).isNotEmpty();
            return null;
        }
    }

    /** UTF-8, or after a leading NUL byte UTF-16BE code units (lone surrogates included). */
    private static String text(byte[] input) {
        if (input.length > 0 && input[0] == 0) {
            ByteBuffer units = ByteBuffer.wrap(input, 1, input.length - 1);
            StringBuilder out = new StringBuilder();
            while (units.remaining() >= 2) {
                out.append(units.getChar());
            }
            return out.toString();
        }
        return new String(input, StandardCharsets.UTF_8);
    }
}
