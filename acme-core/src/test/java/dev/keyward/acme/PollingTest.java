package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Polling of authorizations and orders (RFC 8555 sections 7.4 and 7.5.1) on a fake clock: the
 * waits are recorded, never slept. The server's answers follow a WireMock scenario, one state per
 * poll.
 */
class PollingTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";
    private static final String ORDER = "/my-order/TOlocE8rfgo";

    private final FakeClock clock = new FakeClock();
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(clock), TestKeys.EC_P256.signer());
    }

    @Test
    void aPendingAuthorizationIsPolledAtOnceThenWithGrowingBackoffUntilValid() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json"), fixture("authz-pending.json"), fixture("authz-pending.json"),
                fixture("authz-pending.json"), fixture("authz-valid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        Authorization valid = pending.awaitCompletion();

        assertThat(valid.status()).isEqualTo(Status.VALID);
        assertThat(clock.sleeps()).as("no wait before the first poll")
                .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(clock.now()).isEqualTo(FakeClock.START.plusMillis(350));
        acme.wireMock().verify(5, postRequestedFor(urlEqualTo(AUTHZ)));
    }

    @Test
    void aCaThatIsDoneByTheFirstPollCostsNoWaitAtAll() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json"), fixture("authz-valid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        assertThat(pending.awaitCompletion().status()).isEqualTo(Status.VALID);

        assertThat(clock.sleeps()).isEmpty();
        assertThat(clock.now()).isEqualTo(FakeClock.START);
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(AUTHZ)));
    }

    @Test
    void retryAfterInSecondsIsHonouredInsteadOfTheBackoff() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json"),
                fixture("authz-pending.json").withHeader("Retry-After", "3"),
                fixture("authz-valid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        pending.awaitCompletion();

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRetryAfterOnTheSnapshotDelaysEvenTheFirstPoll() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json").withHeader("Retry-After", "2"), fixture("authz-valid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        pending.awaitCompletion();

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() throws Exception {
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(FakeClock.START.plusSeconds(10).atOffset(ZoneOffset.UTC));
        answerInTurn(AUTHZ, fixture("authz-pending.json").withHeader("Retry-After", inTenSeconds),
                fixture("authz-valid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        pending.awaitCompletion();

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void theDeadlineEndsTheWaitWithTheLastStatus() throws Exception {
        acme.stubResource(AUTHZ, "authz-pending.json");
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));
        PollPolicy oneSecond = PollPolicy.builder().timeout(Duration.ofSeconds(1)).build();

        AcmeTimeoutException e = catchThrowableOfType(AcmeTimeoutException.class,
                () -> pending.awaitCompletion(oneSecond));

        assertThat(e).isNotNull();
        assertThat(e.lastStatus()).isEqualTo(Status.PENDING);
        assertThat(e.getMessage()).contains(acme.url(AUTHZ).toString()).contains("pending");
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(clock.now()).isBefore(FakeClock.START.plusSeconds(1));
        acme.wireMock().verify(1 + 1 + 4, postRequestedFor(urlEqualTo(AUTHZ)));
    }

    @Test
    void aRetryAfterBeyondTheDeadlineEndsTheWaitWithoutSleeping() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json").withHeader("Retry-After", "3600"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        AcmeTimeoutException e = catchThrowableOfType(AcmeTimeoutException.class, pending::awaitCompletion);

        assertThat(e.lastStatus()).isEqualTo(Status.PENDING);
        assertThat(clock.sleeps()).isEmpty();
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(AUTHZ)));
    }

    @Test
    void theClientsPollPolicyIsTheDefaultOfAwaitCompletion() throws Exception {
        PollPolicy slow = PollPolicy.builder().initialDelay(Duration.ofSeconds(1)).multiplier(3)
                .maxDelay(Duration.ofSeconds(10)).build();
        AcmeClient client = AcmeClient.builder(acme.directoryUrl()).allowPlainHttp(true).clock(clock)
                .pollPolicy(slow).build();
        Account slowAccount = acme.account(client, TestKeys.EC_P256.signer());
        answerInTurn(AUTHZ, fixture("authz-pending.json"), fixture("authz-pending.json"),
                fixture("authz-pending.json"), fixture("authz-pending.json"), fixture("authz-valid.json"));

        slowAccount.fetchAuthorization(acme.url(AUTHZ)).awaitCompletion();

        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(9));
    }

    @Test
    void theBackoffStopsGrowingAtMaxDelay() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json"), fixture("authz-pending.json"),
                fixture("authz-pending.json"), fixture("authz-pending.json"), fixture("authz-pending.json"),
                fixture("authz-valid.json"));
        PollPolicy capped = PollPolicy.builder().maxDelay(Duration.ofMillis(150)).build();

        account.fetchAuthorization(acme.url(AUTHZ)).awaitCompletion(capped);

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(150), Duration.ofMillis(150));
    }

    @Test
    void anAuthorizationThatBecomesInvalidRaisesTheChallengesError() throws Exception {
        answerInTurn(AUTHZ, fixture("authz-pending.json"), fixture("authz-invalid.json"));
        Authorization pending = account.fetchAuthorization(acme.url(AUTHZ));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class, pending::awaitCompletion);

        assertThat(e).isNotNull();
        assertThat(e.problem().type()).isEqualTo(URI.create("urn:ietf:params:acme:error:unauthorized"));
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("The key authorization file from the server did not match this challenge"));
        assertThat(e.problem().status()).hasValue(403);
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void anAlreadyValidAuthorizationIsReturnedWithoutPolling() throws Exception {
        acme.stubResource(AUTHZ, "authz-valid.json");
        Authorization valid = account.fetchAuthorization(acme.url(AUTHZ));

        assertThat(valid.awaitCompletion()).isSameAs(valid);
        assertThat(clock.sleeps()).isEmpty();
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(AUTHZ)));
    }

    @Test
    void aProcessingOrderIsPolledUntilValid() throws Exception {
        answerInTurn(ORDER, fixture("order-processing.json"), fixture("order-processing.json"),
                fixture("order-processing.json"), fixture("order-valid.json"));
        Order processing = account.fetchOrder(acme.url(ORDER));

        Order valid = processing.awaitCompletion();

        assertThat(valid.status()).isEqualTo(Status.VALID);
        assertThat(valid.certificateUrl()).contains(acme.url("/certZ/mAt3xBGaobw"));
        assertThat(clock.sleeps()).as("a processing order is first polled after the finalize delay, then backs off"
                + " from the initial delay").containsExactly(Duration.ofMillis(50), Duration.ofMillis(50),
                Duration.ofMillis(100));
    }

    @Test
    void aPendingOrderIsPolledUntilReady() throws Exception {
        answerInTurn(ORDER, fixture("order-pending.json"), fixture("order-ready.json"));

        Order ready = account.fetchOrder(acme.url(ORDER)).awaitCompletion();

        assertThat(ready.status()).isEqualTo(Status.READY);
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50));
    }

    @Test
    void anOrderThatBecomesInvalidRaisesItsError() throws Exception {
        answerInTurn(ORDER, fixture("order-processing.json"), fixture("order-invalid.json"));
        Order processing = account.fetchOrder(acme.url(ORDER));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class, processing::awaitCompletion);

        assertThat(e.problem().isAcmeError("badCSR")).isTrue();
        assertThat(e.problem().status()).hasValue(400);
    }

    @Test
    void anOrderThatEndsInAnUnknownStatusRaisesAProblemNamingIt() throws Exception {
        answerInTurn(ORDER, fixture("order-processing.json"), fixture("order-unknown-status.json"));
        Order processing = account.fetchOrder(acme.url(ORDER));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class, processing::awaitCompletion);

        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d).contains("archived"));
    }

    private ResponseDefinitionBuilder fixture(String name) {
        return FakeAcmeServer.json(200, acme.fixture(name));
    }

    /** Answers the n-th POST to {@code path} with the n-th response; the last one repeats. */
    private void answerInTurn(String path, ResponseDefinitionBuilder... responses) {
        for (int i = 0; i < responses.length; i++) {
            String state = i == 0 ? STARTED : "answer " + i;
            ScenarioMappingBuilder mapping = post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(responses[i]);
            if (i + 1 < responses.length) {
                mapping = mapping.willSetStateTo("answer " + (i + 1));
            }
            acme.wireMock().stubFor(mapping);
        }
    }
}
