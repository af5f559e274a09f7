package dev.keyledger.command.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.command.web.ValidationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedOriginsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com",
                "http://localhost:3000",
                "https://app.example.co.uk",
                "https://*.example.com",
                "http://127.0.0.1:8080",
                "https://xn--bcher-kva.example"
            })
    void acceptsOrigins(String origin) {
        assertThat(AllowedOrigins.validate(List.of(origin))).containsExactly(origin);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com",
                "ftp://example.com",
                "https://example.com/",
                "https://example.com/path",
                "https://example.com?q=1",
                "https://example.com#x",
                "https://user@example.com",
                "https://Example.com",
                "https://*.com",
                "http://*.example.com",
                "https://*",
                "https://a.*.example.com",
                "https://**.example.com",
                "*",
                "https://example.com:0",
                "https://example.com:70000",
                "https://example.com:443",
                "http://example.com:80",
                "https://exa mple.com",
                "https://-bad.example.com",
                "https://example..com",
                "https://bücher.example",
                " https://example.com"
            })
    void refusesOrigins(String origin) {
        assertThatThrownBy(() -> AllowedOrigins.validate(List.of(origin))).isInstanceOf(ValidationException.class);
    }

    @Test
    void refusesMoreThanTheMaximumCount() {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i <= AllowedOrigins.MAX_ORIGINS; i++) {
            origins.add("https://a" + i + ".example.com");
        }
        assertThatThrownBy(() -> AllowedOrigins.validate(origins)).isInstanceOf(ValidationException.class);
    }

    @Test
    void refusesMissingListAndNullEntries() {
        assertThatThrownBy(() -> AllowedOrigins.validate(null)).isInstanceOf(ValidationException.class);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> AllowedOrigins.validate(withNull)).isInstanceOf(ValidationException.class);
    }
}
