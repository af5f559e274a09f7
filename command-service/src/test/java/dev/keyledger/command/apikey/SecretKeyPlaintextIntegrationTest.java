package dev.keyledger.command.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.DatabaseScan;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The plaintext of a secret key leaves the service in its create or roll response and nowhere
 * else: not in any text or bytea column of any table, and not in any log line, even with the
 * web, security, JDBC and Axon loggers at TRACE. (Tomcat's own wire-level DEBUG logging prints raw
 * request headers, bearer tokens and {@code X-API-Key} included; it must never be enabled in
 * production and is left out here.)
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretKeyPlaintextIntegrationTest extends ManagementApiIntegrationTestBase {

    private static final List<String> VERBOSE_LOGGERS = List.of(
            "dev.keyledger",
            "org.axonframework",
            "org.springframework.web",
            "org.springframework.security",
            "org.springframework.jdbc",
            "org.apache.catalina");

    @Autowired
    LoggingSystem loggingSystem;

    @BeforeEach
    void verboseLogging() {
        VERBOSE_LOGGERS.forEach(logger -> loggingSystem.setLogLevel(logger, LogLevel.TRACE));
    }

    @AfterEach
    void quietLogging() {
        VERBOSE_LOGGERS.forEach(logger -> loggingSystem.setLogLevel(logger, null));
    }

    @Test
    void secretKeyPlaintextIsInNoTableAndNoLogLine(CapturedOutput output) {
        String organizationId = newOrganization();
        String path = "/api/v1/organizations/" + organizationId + "/api-keys";
        ApiClient.Response created = newSecretKey(organizationId);
        String first = created.text("key");
        ApiClient.Response rolled = api.post(
                path + "/" + created.text("id") + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":0}");
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        String second = rolled.text("key");
        ApiClient.Response withExpiry = api.post(
                path,
                orgAdmin(organizationId),
                "{\"name\":\"Nightly\",\"expires_at\":\""
                        + java.time.Instant.now()
                                .plus(java.time.Duration.ofDays(365))
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\"}");
        assertThat(withExpiry.status()).as(withExpiry.body()).isEqualTo(201);
        String third = withExpiry.text("key");
        api.request("POST", path)
                .header("X-API-Key", first)
                .json("{\"name\":\"x\"}")
                .send();
        api.delete(path + "/" + created.text("id"), orgAdmin(organizationId));

        assertThat(List.of(first, second, third))
                .allSatisfy(key -> assertThat(key).startsWith("sk_"));
        quietLogging();
        String log = output.getAll();
        assertThat(log).contains(created.text("id"));
        for (String key : List.of(first, second, third)) {
            assertThat(log).doesNotContain(key).doesNotContain(key.substring(3, 40));
        }
        assertThat(columnsContaining(ApiKeyFormat.sha256Hex(first)))
                .as("the scan finds what is stored (the key hash)")
                .isNotEmpty();
        for (String key : List.of(first, second, third)) {
            assertThat(columnsContaining(key))
                    .as("columns holding a secret key")
                    .isEmpty();
            assertThat(columnsContaining(key.substring(3)))
                    .as("columns holding a key without prefix")
                    .isEmpty();
        }
    }

    private List<String> columnsContaining(String needle) {
        return DatabaseScan.columnsContaining(jdbc, needle, "domainevententry", "api_key_directory");
    }
}
