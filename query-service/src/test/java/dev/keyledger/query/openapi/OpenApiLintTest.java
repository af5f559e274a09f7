package dev.keyledger.query.openapi;

import dev.keyledger.servicekit.testing.OpenApiDocuments;
import org.junit.jupiter.api.Test;

/**
 * The committed document passes {@code @redocly/cli lint} with the recommended rules without an
 * error (skipped, saying why, without Node.js and {@code npm ci} in {@code docs/openapi}). {@link
 * OpenApiDocumentIntegrationTest} makes sure the committed document is the served one.
 */
class OpenApiLintTest {

    @Test
    void theCommittedDocumentPassesRedoclyLint() throws Exception {
        OpenApiDocuments.assertRedoclyLintPasses(OpenApiDocumentIntegrationTest.FILE);
    }
}
