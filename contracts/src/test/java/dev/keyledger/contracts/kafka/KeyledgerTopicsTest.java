package dev.keyledger.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyledgerTopicsTest {

    @Test
    void auditCheckpointsAreNeverCompactedNorDeleted() {
        assertThat(KeyledgerTopics.AUDIT_CHECKPOINTS.name()).isEqualTo("keyledger.audit-checkpoints");
        assertThat(KeyledgerTopics.AUDIT_CHECKPOINTS.configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1")
                .containsEntry("retention.bytes", "-1");
        assertThat(KeyledgerTopics.ALL).contains(KeyledgerTopics.AUDIT_CHECKPOINTS);
    }
}
