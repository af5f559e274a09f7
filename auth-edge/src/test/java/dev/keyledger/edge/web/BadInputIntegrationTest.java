package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile input: every case gets an answer from the contract, never a 500. Raw bytes over a socket. */
class BadInputIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void oversizedKeyIsUnauthorized() throws IOException {
        assertThat(raw("X-API-Key: sk_" + "A".repeat(10_000) + "\r\n")).startsWith("HTTP/1.1 401");
    }

    @Test
    void duplicatedKeyHeaderIsUnauthorizedEvenWhenBothAreValid() throws IOException {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        String answer = raw("X-API-Key: " + key.plaintext() + "\r\nX-API-Key: " + key.plaintext() + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 401");
    }

    @Test
    void nonAsciiBytesInTheKeyAreUnauthorized() throws IOException {
        byte[] header = ("X-API-Key: sk_" + "é".repeat(32) + "\r\n").getBytes(StandardCharsets.UTF_8);

        assertThat(raw(header)).startsWith("HTTP/1.1 401");
    }

    @Test
    void controlCharactersInTheKeyAreUnauthorized() throws IOException {
        assertThat(raw("X-API-Key: sk_\u0001\u0002" + "A".repeat(62) + "\r\n")).matches("(?s)HTTP/1.1 4\\d\\d.*");
    }

    @Test
    void hugeOriginIsForbiddenForAPublicKey() throws IOException {
        TestKey key = activate(
                TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://app.example.com"), 10, 100));

        String answer = raw("X-API-Key: " + key.plaintext() + "\r\nOrigin: https://" + "a".repeat(20_000) + ".com\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403");
    }

    @Test
    void headersBeyondTheServerLimitAreRefusedWithA4xx() throws IOException {
        String answer = raw("Origin: https://" + "a".repeat(100_000) + ".com\r\n");

        assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d.*");
    }

    @Test
    void nonAsciiOriginIsForbiddenForAPublicKey() throws IOException {
        TestKey key = activate(
                TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://app.example.com"), 10, 100));
        byte[] header = ("X-API-Key: " + key.plaintext() + "\r\nOrigin: https://äpp.example.com\r\n")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(raw(header)).startsWith("HTTP/1.1 403");
    }

    @Test
    void headersBeyondTheServerLimitAre431WithTheErrorJson() throws IOException {
        String answer = raw("X-Huge: " + "h".repeat(70_000) + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(body(answer))
                .isEqualTo("{\"error\":\"request_header_fields_too_large\",\"message\":\"Request headers are too"
                        + " large\",\"code\":\"REQUEST_HEADER_FIELDS_TOO_LARGE\"}");
    }

    @Test
    void aNulInTheKeyHeaderIs400WithTheErrorJson() throws IOException {
        String answer = raw("X-API-Key: sk_a\u0000b\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(body(answer))
                .isEqualTo("{\"error\":\"bad_request\",\"message\":\"Malformed request\",\"code\":\"BAD_REQUEST\"}");
    }

    @Test
    void theConnectionStillServesRequestsAfterACodecRefusalOnAnother() throws IOException {
        assertThat(raw("X-Nul: a\u0000b\r\n")).startsWith("HTTP/1.1 400");

        assertThat(raw("X-API-Key: sk_missing\r\n")).startsWith("HTTP/1.1 401");
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private String raw(String headers) throws IOException {
        return raw(headers.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String raw(byte[] headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /_keyledger/auth HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(headers);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
