package dev.keyledger.command.apikey;

import static org.axonframework.test.matchers.Matchers.predicate;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.ExpireApiKeyCommand;
import dev.keyledger.contracts.apikey.IssueApiKeyCommand;
import dev.keyledger.contracts.apikey.RenameApiKeyCommand;
import dev.keyledger.contracts.apikey.RevokeApiKeyCommand;
import dev.keyledger.contracts.apikey.RollApiKeyCommand;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final String KEY = "key_01JTESTKEY000000000000000";
    private static final String SUCCESSOR = "key_01JTESTSUCCESSOR0000000000";
    private static final String ORG = "org_01JTESTORGANIZATION0000000";
    private static final String OTHER_ORG = "org_01JOTHERORGANIZATION000000";
    private static final String DB = "db_01JTESTDATABASE00000000000";
    private static final String HASH = "a".repeat(64);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private AggregateTestFixture<ApiKey> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ApiKey.class);
        fixture.registerAnnotatedCommandHandler(new OldKeyRoller(fixture.getRepository()));
    }

    /**
     * The fixture holds one aggregate, so it runs the old key's part of {@link RollApiKeyHandler}
     * and returns the successor's command; issuing the successor is covered over HTTP.
     */
    record OldKeyRoller(org.axonframework.modelling.command.Repository<ApiKey> repository) {
        @org.axonframework.commandhandling.CommandHandler
        IssueApiKeyCommand handle(RollApiKeyCommand command) {
            var old = repository.load(command.keyId());
            return RollApiKeyHandler.rollOld(old, command, ApiKeyFormat.generate(old.invoke(ApiKey::type)));
        }
    }

    private static ApiKeyIssuedEvent secretIssued(Instant expiresAt) {
        return new ApiKeyIssuedEvent(KEY, ORG, null, ApiKeyType.SECRET, "CI", HASH, "abcd", null, expiresAt, null);
    }

    private static IssueApiKeyCommand issueSecret(String name, Instant expiresAt) {
        return new IssueApiKeyCommand(KEY, ORG, null, ApiKeyType.SECRET, name, HASH, "abcd", null, expiresAt, null);
    }

    @Test
    void canIssueSecretKey() {
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(KEY, ORG, null, ApiKeyType.SECRET, "CI", HASH, "abcd", null, null, null))
                .expectEvents(secretIssued(null));
    }

    @Test
    void canIssuePublicKeyWithItsValue() {
        String value = ApiKeyFormat.generate(ApiKeyType.PUBLIC).plaintext();
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(KEY, ORG, DB, ApiKeyType.PUBLIC, "Web", HASH, "abcd", value, null, null))
                .expectEvents(
                        new ApiKeyIssuedEvent(KEY, ORG, DB, ApiKeyType.PUBLIC, "Web", HASH, "abcd", value, null, null));
    }

    @Test
    void cannotIssueSecretKeyCarryingAPlaintextOrDatabase() {
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(
                        KEY, ORG, null, ApiKeyType.SECRET, "CI", HASH, "abcd", "sk_leak", null, null))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(KEY, ORG, DB, ApiKeyType.SECRET, "CI", HASH, "abcd", null, null, null))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void cannotIssuePublicKeyWithoutDatabase() {
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(
                        KEY, ORG, null, ApiKeyType.PUBLIC, "Web", HASH, "abcd", "pk_x", null, null))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void cannotIssueKeyExpiringInThePast() {
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(
                        KEY, ORG, null, ApiKeyType.SECRET, "CI", HASH, "abcd", null, NOW.minusSeconds(1), null))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void canIssueKeyExpiringInTheFuture() {
        Instant expiresAt = NOW.plus(Duration.ofDays(30));
        fixture.givenCurrentTime(NOW)
                .when(new IssueApiKeyCommand(
                        KEY, ORG, null, ApiKeyType.SECRET, "CI", HASH, "abcd", null, expiresAt, null))
                .expectEvents(secretIssued(expiresAt));
    }

    @Test
    void canIssueKeyExpiringExactlyTenYearsAhead() {
        Instant tenYears = Instant.parse("2040-01-01T00:00:00Z");
        fixture.givenCurrentTime(NOW).when(issueSecret("CI", tenYears)).expectEvents(secretIssued(tenYears));
    }

    @Test
    void cannotIssueKeyExpiringMoreThanTenYearsAhead() {
        fixture.givenCurrentTime(NOW)
                .when(issueSecret("CI", Instant.parse("2040-01-01T00:00:00.000001Z")))
                .expectException(DomainRuleViolation.class)
                .expectExceptionMessage("domain rule violated")
                .expectNoEvents();
        fixture.givenCurrentTime(NOW)
                .when(issueSecret("CI", Instant.MAX))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void issuingTrimsTheName() {
        fixture.givenCurrentTime(NOW).when(issueSecret("  CI  ", null)).expectEvents(secretIssued(null));
    }

    @Test
    void cannotIssueKeyWithAForbiddenName() {
        fixture.givenCurrentTime(NOW)
                .when(issueSecret("C\u0000I", null))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
        fixture.givenCurrentTime(NOW)
                .when(issueSecret("x".repeat(101), null))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void cannotRenameKeyToAForbiddenName() {
        fixture.given(secretIssued(null))
                .when(new RenameApiKeyCommand(KEY, ORG, "a\tb"))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void renamingTrimsTheNewName() {
        fixture.given(secretIssued(null))
                .when(new RenameApiKeyCommand(KEY, ORG, " Deploy "))
                .expectEvents(new ApiKeyRenamedEvent(KEY, ORG, "Deploy"));
    }

    @Test
    void canRenameKey() {
        fixture.given(secretIssued(null))
                .when(new RenameApiKeyCommand(KEY, ORG, "Deploy"))
                .expectEvents(new ApiKeyRenamedEvent(KEY, ORG, "Deploy"));
    }

    @Test
    void renamingToTheSameNameChangesNothing() {
        fixture.given(secretIssued(null))
                .when(new RenameApiKeyCommand(KEY, ORG, "CI"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cannotRenameKeyOfAnotherOrganization() {
        fixture.given(secretIssued(null))
                .when(new RenameApiKeyCommand(KEY, OTHER_ORG, "Deploy"))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
    }

    @Test
    void cannotRenameRevokedKey() {
        fixture.given(secretIssued(null), new ApiKeyRevokedEvent(KEY, ORG))
                .when(new RenameApiKeyCommand(KEY, ORG, "Deploy"))
                .expectException(IllegalStateException.class);
    }

    @Test
    void canRevokeKey() {
        fixture.given(secretIssued(null))
                .when(new RevokeApiKeyCommand(KEY, ORG))
                .expectEvents(new ApiKeyRevokedEvent(KEY, ORG, null, HASH));
    }

    @Test
    void revokingARevokedKeyChangesNothing() {
        fixture.given(secretIssued(null), new ApiKeyRevokedEvent(KEY, ORG))
                .when(new RevokeApiKeyCommand(KEY, ORG))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void revokingAnExpiredKeyChangesNothing() {
        fixture.given(secretIssued(NOW.minusSeconds(1)), new ApiKeyExpiredEvent(KEY, ORG, NOW.minusSeconds(1)))
                .when(new RevokeApiKeyCommand(KEY, ORG))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cannotRevokeKeyOfAnotherOrganization() {
        fixture.given(secretIssued(null))
                .when(new RevokeApiKeyCommand(KEY, OTHER_ORG))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
    }

    @Test
    void canRevokeRolledKeyDuringItsGracePeriod() {
        fixture.given(secretIssued(null), new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW.plusSeconds(60)))
                .andGivenCurrentTime(NOW)
                .when(new RevokeApiKeyCommand(KEY, ORG))
                .expectEvents(new ApiKeyRevokedEvent(KEY, ORG, null, HASH));
    }

    @Test
    void canExpireKeyWhoseTimeHasCome() {
        fixture.given(secretIssued(NOW.minusSeconds(1)))
                .andGivenCurrentTime(NOW)
                .when(new ExpireApiKeyCommand(KEY))
                .expectEvents(new ApiKeyExpiredEvent(KEY, ORG, NOW.minusSeconds(1)));
    }

    @Test
    void expiringBeforeTheTimeChangesNothing() {
        fixture.given(secretIssued(NOW.plusSeconds(60)))
                .andGivenCurrentTime(NOW)
                .when(new ExpireApiKeyCommand(KEY))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void expiringARevokedOrExpiredKeyChangesNothing() {
        fixture.given(secretIssued(NOW.minusSeconds(1)), new ApiKeyRevokedEvent(KEY, ORG))
                .andGivenCurrentTime(NOW)
                .when(new ExpireApiKeyCommand(KEY))
                .expectNoEvents();
        fixture.given(secretIssued(NOW.minusSeconds(1)), new ApiKeyExpiredEvent(KEY, ORG, NOW.minusSeconds(1)))
                .andGivenCurrentTime(NOW)
                .when(new ExpireApiKeyCommand(KEY))
                .expectNoEvents();
    }

    @Test
    void canExpireRolledKeyAfterItsGracePeriod() {
        fixture.given(secretIssued(null), new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW.minusSeconds(1)))
                .andGivenCurrentTime(NOW)
                .when(new ExpireApiKeyCommand(KEY))
                .expectEvents(new ApiKeyExpiredEvent(KEY, ORG, NOW.minusSeconds(1)));
    }

    @Test
    void canRollKeyIntoASuccessorThatReplacesIt() {
        fixture.given(secretIssued(null))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 3600))
                .expectEvents(new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW.plusSeconds(3600)))
                .expectResultMessagePayloadMatching(
                        predicate((IssueApiKeyCommand issue) -> issue.keyId().equals(SUCCESSOR)
                                && issue.replaces().equals(KEY)
                                && issue.type() == ApiKeyType.SECRET
                                && issue.publicKey() == null
                                && issue.databaseId() == null
                                && issue.name().equals("CI")
                                && !issue.keyHash().equals(HASH)
                                && issue.expiresAt() == null));
    }

    @Test
    void rollingWithZeroGraceExpiresTheOldKeyAtOnce() {
        fixture.given(secretIssued(null))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 0))
                .expectEvents(new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW), new ApiKeyExpiredEvent(KEY, ORG, NOW));
    }

    @Test
    void rollingKeepsAnEarlierExpiryOfTheOldKeyAndPassesItToTheSuccessor() {
        Instant expiresAt = NOW.plusSeconds(10);
        fixture.given(secretIssued(expiresAt))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 3600))
                .expectEvents(new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, expiresAt))
                .expectResultMessagePayloadMatching(
                        predicate((IssueApiKeyCommand issue) -> expiresAt.equals(issue.expiresAt())));
    }

    @Test
    void cannotRollKeyTwice() {
        fixture.given(secretIssued(null), new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW.plusSeconds(60)))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, "key_01JTESTTHIRD0000000000000", 60))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void cannotRollRevokedKey() {
        fixture.given(secretIssued(null), new ApiKeyRevokedEvent(KEY, ORG))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 60))
                .expectException(IllegalStateException.class)
                .expectNoEvents();
    }

    @Test
    void cannotRollKeyOfAnotherOrganization() {
        fixture.given(secretIssued(null))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, OTHER_ORG, SUCCESSOR, 60))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
    }

    @Test
    void cannotRollWithGracePeriodOutOfRange() {
        fixture.given(secretIssued(null))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 604_801))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void rollingPublicKeyCarriesTheSuccessorsPublicValue() {
        fixture.given(new ApiKeyIssuedEvent(KEY, ORG, DB, ApiKeyType.PUBLIC, "Web", HASH, "abcd", "pk_old", null, null))
                .andGivenCurrentTime(NOW)
                .when(new RollApiKeyCommand(KEY, ORG, SUCCESSOR, 60))
                .expectEvents(new ApiKeyRolledEvent(KEY, ORG, SUCCESSOR, NOW.plusSeconds(60)))
                .expectResultMessagePayloadMatching(
                        predicate((IssueApiKeyCommand issue) -> DB.equals(issue.databaseId())
                                && issue.type() == ApiKeyType.PUBLIC
                                && issue.publicKey().startsWith("pk_")
                                && ApiKeyFormat.sha256Hex(issue.publicKey()).equals(issue.keyHash())));
    }

    @Test
    void aRevocationCarriesItsTrimmedReason() {
        fixture.given(secretIssued(null))
                .when(new RevokeApiKeyCommand(KEY, ORG, " leaked "))
                .expectEvents(new ApiKeyRevokedEvent(KEY, ORG, "leaked", HASH));
    }

    @Test
    void cannotRevokeWithAnUnreadableReason() {
        fixture.given(secretIssued(null))
                .when(new RevokeApiKeyCommand(KEY, ORG, "bad\u0007reason"))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }
}
