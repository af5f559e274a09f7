package dev.keyledger.servicekit.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerErrorsTest {

    @Test
    void aBadRequestIsValidationFailed() {
        assertThat(ContainerErrors.body(400))
                .isEqualTo(new ErrorBody("bad_request", "The request is invalid", "VALIDATION_FAILED", null));
    }

    @Test
    void clientErrorsKeepTheirMeaning() {
        assertThat(ContainerErrors.body(401).code()).isEqualTo("INVALID_TOKEN");
        assertThat(ContainerErrors.body(404).code()).isEqualTo("NOT_FOUND");
        assertThat(ContainerErrors.body(413).code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(ContainerErrors.body(431))
                .isEqualTo(new ErrorBody(
                        "request_header_fields_too_large",
                        "Request Header Fields Too Large",
                        "REQUEST_HEADER_FIELDS_TOO_LARGE",
                        null));
    }

    @Test
    void anythingElseIsAnInternalErrorWithoutDetail() {
        assertThat(ContainerErrors.body(500).code()).isEqualTo("INTERNAL_ERROR");
        assertThat(ContainerErrors.body(299).code()).isEqualTo("INTERNAL_ERROR");
        assertThat(ContainerErrors.body(999).code()).isEqualTo("INTERNAL_ERROR");
    }
}
