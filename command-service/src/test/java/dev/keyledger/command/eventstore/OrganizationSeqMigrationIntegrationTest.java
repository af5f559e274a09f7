package dev.keyledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * db/command V4 on a store that already holds events (numbered per organization in global index
 * order, seq in the metadata, the relay's token dropped so that it relays them again), and the
 * trigger that numbers every event appended afterwards; V7, which numbers them at the commit. Plain
 * JDBC and Flyway, as an upgrade runs.
 */
class OrganizationSeqMigrationIntegrationTest {

    private String url;
    private TestInfrastructure.Postgres server;

    @BeforeEach
    void storeBeforeTheMigration() {
        url = TestInfrastructure.newDatabase("command_seq_migration");
        server = TestInfrastructure.postgres();
        flyway("3").migrate();
    }

    private Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(url, server.username(), server.password())
                .locations("classpath:db/command")
                .target(target)
                .load();
    }

    @Test
    void numbersExistingEventsPerOrganizationInGlobalIndexOrderAndRelaysThemAgain() throws Exception {
        try (Connection db = connect()) {
            append(db, "org_a", "org_a", 0, "{\"actor_subject\":\"alice\"}");
            append(db, "db_b1", "org_b", 0, null);
            append(db, "key_a1", "org_a", 0, "{}");
            append(db, "org_b", "org_b", 0, "{\"actor_subject\":\"bob\"}");
            append(db, "key_a1", "org_a", 1, "");
            try (PreparedStatement token = db.prepareStatement(
                    "INSERT INTO tokenentry (processorname, segment, token, tokentype) VALUES (?, 0, null, null)")) {
                token.setString(1, "kafka-relay");
                token.executeUpdate();
                token.setString(1, "command-directory");
                token.executeUpdate();
            }
        }

        flyway("4").migrate();

        try (Connection db = connect()) {
            assertThat(rows(db))
                    .containsExactly(
                            "1 org_a org_a 1 alice",
                            "2 db_b1 org_b 1 null",
                            "3 key_a1 org_a 2 null",
                            "4 org_b org_b 2 bob",
                            "5 key_a1 org_a 3 null");
            assertThat(strings(db, "SELECT processorname FROM tokenentry")).containsExactly("command-directory");
            assertThat(strings(
                            db,
                            "SELECT organization_id || '=' || last_seq FROM organization_event_sequence ORDER BY 1"))
                    .containsExactly("org_a=3", "org_b=2");

            append(db, "key_b2", "org_b", 0, "{\"actor_subject\":\"carol\"}");
            append(db, "org_c", "org_c", 0, null);

            assertThat(rows(db)).endsWith("6 key_b2 org_b 3 carol", "7 org_c org_c 1 null");
        }
    }

    @Test
    void aRolledBackAppendLeavesNoGapAndAnEventWithoutOrganizationIsRefused() throws Exception {
        flyway("4").migrate();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            append(db, "org_x", "org_x", 0, null);
            db.rollback();
            db.setAutoCommit(true);
            append(db, "org_x", "org_x", 0, null);

            assertThat(rows(db)).singleElement().asString().endsWith("org_x org_x 1 null");
            assertThatThrownBy(() -> appendPayload(db, "x", 0, "{\"name\":\"no organization\"}"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("has no organizationId");
        }
    }

    /**
     * V7: the seq is taken at the commit, so a second transaction appending to the same
     * organization does not wait for a first one that is still open (under V4 it waited on the
     * counter row until the first ended, and here its lock timeout would fail it). Seq still follows
     * commit order, from 1 without gaps, a transaction's events in their order.
     */
    @Test
    void anAppendDoesNotWaitForAnotherOpenTransactionOfItsOrganizationAndSeqFollowsCommitOrder() throws Exception {
        flyway("7").migrate();
        try (Connection first = connect();
                Connection second = connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            append(first, "org_y", "org_y", 0, null);
            append(first, "key_y1", "org_y", 0, "{}");
            try (Statement settings = second.createStatement()) {
                settings.execute("SET lock_timeout = '2s'");
            }
            append(second, "key_y2", "org_y", 0, "{\"actor_subject\":\"dave\"}");
            second.commit();
            first.commit();
        }
        try (Connection db = connect()) {
            assertThat(rows(db))
                    .containsExactly("1 org_y org_y 2 null", "2 key_y1 org_y 3 null", "3 key_y2 org_y 1 dave");
            assertThat(strings(db, "SELECT last_seq FROM organization_event_sequence WHERE organization_id = 'org_y'"))
                    .containsExactly("3");
        }
    }

    @Test
    void atCommitARolledBackAppendStillLeavesNoGapAndAnEventWithoutOrganizationIsRefusedAtItsInsert() throws Exception {
        flyway("7").migrate();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            append(db, "org_z", "org_z", 0, null);
            db.rollback();
            assertThatThrownBy(() -> appendPayload(db, "x", 0, "{\"name\":\"no organization\"}"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("has no organizationId");
            db.rollback();
            db.setAutoCommit(true);
            append(db, "org_z", "org_z", 0, null);

            assertThat(rows(db)).singleElement().asString().endsWith("org_z org_z 1 null");
            assertThat(strings(db, "SELECT count(*) FROM domainevententry WHERE organizationseq < 1"))
                    .containsExactly("0");
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, server.username(), server.password());
    }

    private static void append(Connection db, String aggregate, String organization, long sequence, String metadata)
            throws SQLException {
        appendPayload(
                db, aggregate, sequence, "{\"organizationId\":\"" + organization + "\",\"name\":\"n\"}", metadata);
    }

    private static void appendPayload(Connection db, String aggregate, long sequence, String payload)
            throws SQLException {
        appendPayload(db, aggregate, sequence, payload, null);
    }

    private static void appendPayload(Connection db, String aggregate, long sequence, String payload, String metadata)
            throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,"
                        + " payload, payloadrevision, payloadtype, timestamp) VALUES (?, ?, 'T', ?, ?, ?, '1', 'p', ?)")) {
            insert.setString(1, aggregate);
            insert.setLong(2, sequence);
            insert.setString(3, UUID.randomUUID().toString());
            insert.setBytes(4, metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, payload.getBytes(StandardCharsets.UTF_8));
            insert.setString(6, "2026-12-02T00:00:00Z");
            insert.executeUpdate();
        }
    }

    /** "globalindex aggregate organization seq actor", the seq as the metadata carries it too. */
    private static List<String> rows(Connection db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement(
                        "SELECT globalindex, aggregateidentifier, organizationid, organizationseq,"
                                + " convert_from(metadata, 'UTF8')::jsonb AS metadata FROM domainevententry ORDER BY globalindex");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String metadata = rs.getString("metadata");
                assertThat(metadata).contains("\"organization_seq\": " + rs.getLong("organizationseq"));
                String actor = metadata.contains("actor_subject")
                        ? metadata.replaceAll(".*\"actor_subject\": \"([a-z]+)\".*", "$1")
                        : "null";
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4) + " "
                        + actor);
            }
        }
        return rows;
    }

    private static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
