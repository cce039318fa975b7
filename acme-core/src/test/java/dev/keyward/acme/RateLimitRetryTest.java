package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rateLimited} (HTTP 429, RFC 8555 section 6.6) and HTTP 503 with {@code Retry-After}
 * (seconds or an HTTP date, RFC 9110 section 10.2.3) surface as typed exceptions carrying the
 * instant, and are not repeated by default: the server sees one request. With
 * {@link RetryPolicy.Builder#maxRetryAfter(Duration)} the client waits on its clock for a
 * {@code Retry-After} within that limit and repeats the request once the time has come.
 */
class RateLimitRetryTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NEW_ORDER = "/order-plz";
    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String RATE_LIMITED = Fixtures.text("problem-rate-limited.json");

    private final FakeClock clock = new FakeClock();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
    }

    @Test
    void rateLimitedIsNotRepeatedByDefaultAndCarriesTheInstantOfRetryAfterSeconds() throws Exception {
        Account account = account(RetryPolicy.defaults());
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(rateLimited().withHeader("Retry-After", "30")));

        AcmeRateLimitedException e = catchThrowableOfType(AcmeRateLimitedException.class, () -> newOrder(account));

        assertThat(e.retryAfter()).contains(FakeClock.START.plusSeconds(30));
        assertThat(e.problem().isAcmeError("rateLimited")).isTrue();
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(NEW_ORDER)));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void unavailableWithAnHttpDateIsNotRepeatedByDefaultAndCarriesThatInstant() throws Exception {
        Account account = account(RetryPolicy.defaults());
        Instant back = FakeClock.START.plus(Duration.ofMinutes(5));
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(unavailable()
                .withHeader("Retry-After", httpDate(back))));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class, () -> newOrder(account));

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.retryAfter()).contains(back);
        assertThat(e.problem().status()).hasValue(503);
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(NEW_ORDER)));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void aSafeRequestAnsweredUnavailableWithRetryAfterIsNotRepeatedByDefaultEither() throws Exception {
        Account account = account(RetryPolicy.defaults());
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(unavailable().withHeader("Retry-After", "10")));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class,
                () -> account.fetchOrder(acme.url(ORDER)));

        assertThat(e.retryAfter()).contains(FakeClock.START.plusSeconds(10));
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(ORDER)));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void withMaxRetryAfterARateLimitedNewOrderIsRepeatedOnceAfterTheWaitWithAFreshNonce() throws Exception {
        Account account = account(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build());
        answerInTurn(NEW_ORDER, rateLimited().withHeader("Retry-After", "30"), createdOrder());

        Order order = newOrder(account);

        assertThat(order.url()).isEqualTo(acme.url(ORDER));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(30));
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(NEW_ORDER)));
        List<String> nonces = acme.postBodies(NEW_ORDER).stream()
                .map(body -> SignedRequest.parse(body).header("nonce")).collect(Collectors.toList());
        assertThat(nonces).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void withMaxRetryAfterAnUnavailableNewOrderIsRepeatedAtTheHttpDate() throws Exception {
        Account account = account(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build());
        answerInTurn(NEW_ORDER, unavailable().withHeader("Retry-After", httpDate(FakeClock.START.plusSeconds(45))),
                createdOrder());

        Order order = newOrder(account);

        assertThat(order.status()).isEqualTo(Status.PENDING);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(45));
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(NEW_ORDER)));
    }

    @Test
    void aRetryAfterBeyondTheLimitIsNotWaitedFor() throws Exception {
        Account account = account(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build());
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(rateLimited().withHeader("Retry-After", "120")));

        AcmeRateLimitedException e = catchThrowableOfType(AcmeRateLimitedException.class, () -> newOrder(account));

        assertThat(e.retryAfter()).contains(FakeClock.START.plusSeconds(120));
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(NEW_ORDER)));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void waitingForRetryAfterCountsAgainstTheRetriesOfThePolicy() throws Exception {
        Account account = account(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).maxRetries(2)
                .build());
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(rateLimited().withHeader("Retry-After", "10")));

        AcmeRateLimitedException e = catchThrowableOfType(AcmeRateLimitedException.class, () -> newOrder(account));

        assertThat(e.retryAfter()).contains(FakeClock.START.plusSeconds(30));
        acme.wireMock().verify(3, postRequestedFor(urlEqualTo(NEW_ORDER)));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /**
     * {@link RetryPolicy} promises the wait for "a request whose {@code Retry-After} is at most
     * that far away"; the directory GET is such a request.
     */
    @Test
    void withMaxRetryAfterAnUnavailableDirectoryIsFetchedAgainAfterTheWait() throws Exception {
        answerDirectoryInTurn(unavailable().withHeader("Retry-After", "20"),
                FakeAcmeServer.json(200, acme.fixture("directory.json")));
        AcmeClient client = acme.clientBuilder(clock)
                .retryPolicy(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build()).build();

        Directory directory = client.fetchDirectory();

        assertThat(directory.newOrder()).isEqualTo(acme.url(NEW_ORDER));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(20));
        acme.wireMock().verify(2, getRequestedFor(urlEqualTo(FakeAcmeServer.DIRECTORY)));
    }

    private Account account(RetryPolicy policy) throws AcmeException {
        return acme.account(acme.clientBuilder(clock).retryPolicy(policy).build(), TestKeys.EC_P256.signer());
    }

    private static Order newOrder(Account account) throws AcmeException {
        return account.newOrder().domains("www.example.org", "example.org").create();
    }

    private static ResponseDefinitionBuilder rateLimited() {
        return FakeAcmeServer.problem(429, RATE_LIMITED);
    }

    private static ResponseDefinitionBuilder unavailable() {
        return FakeAcmeServer.problem(503, "{\"type\":\"urn:ietf:params:acme:error:serverInternal\","
                + "\"detail\":\"down for maintenance\",\"status\":503}");
    }

    private static ResponseDefinitionBuilder createdOrder() {
        return FakeAcmeServer.json(201, acme.fixture("order-pending.json")).withHeader("Location", acme.base() + ORDER);
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static void answerInTurn(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        acme.wireMock().stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("answered once"));
        acme.wireMock().stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs("answered once")
                .willReturn(then));
    }

    private static void answerDirectoryInTurn(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).inScenario("directory")
                .whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("answered once"));
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).inScenario("directory")
                .whenScenarioStateIs("answered once").willReturn(then));
    }
}
