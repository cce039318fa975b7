package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Safe requests (the directory GET, {@code HEAD newNonce}, POST-as-GET fetches, RFC 8555 section
 * 6.3) ride out a broken connection: reset, empty reply, a corrupt chunk, random bytes, or a stall
 * beyond the read timeout. They are repeated after the backoff of {@link RetryPolicy} (waited on
 * the fake clock, so nothing waits for real) and succeed once the server answers again; a fault
 * that persists ends after the default three retries.
 */
class SafeRequestFaultTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final FakeClock clock = new FakeClock();
    private final OkHttpClient http = Breakage.impatientHttpClient();
    private final AcmeClient client = acme.clientBuilder(clock).httpClient(http).build();

    @AfterEach
    void releaseConnections() {
        http.connectionPool().evictAll();
    }

    @ParameterizedTest
    @EnumSource(Breakage.class)
    void theDirectoryIsFetchedAgainAfterABrokenConnection(Breakage breakage) throws Exception {
        acme.stubBasics();
        answerBrokenThenWell(() -> get(urlEqualTo(FakeAcmeServer.DIRECTORY)), breakage,
                FakeAcmeServer.json(200, acme.fixture("directory.json")));

        Directory directory = client.fetchDirectory();

        assertThat(directory.newOrder()).isEqualTo(acme.url("/order-plz"));
        acme.wireMock().verify(2, getRequestedFor(urlEqualTo(FakeAcmeServer.DIRECTORY)));
        assertThat(clock.sleeps()).containsExactly(FIRST_BACKOFF);
    }

    /** A broken chunk needs a body; the answer to a HEAD has none, so that fault does not apply. */
    @ParameterizedTest
    @EnumSource(value = Breakage.class, mode = EnumSource.Mode.EXCLUDE, names = "MALFORMED_RESPONSE_CHUNK")
    void aNonceIsAskedForAgainAfterABrokenConnection(Breakage breakage) throws Exception {
        acme.stubBasics();
        answerBrokenThenWell(() -> head(urlEqualTo(FakeAcmeServer.NEW_NONCE)), breakage, aResponse().withStatus(200)
                .withHeader("Cache-Control", "no-store"));

        Account account = acme.account(client, TestKeys.EC_P256.signer());

        assertThat(account.url()).isEqualTo(acme.url(FakeAcmeServer.ACCOUNT));
        acme.wireMock().verify(2, headRequestedFor(urlEqualTo(FakeAcmeServer.NEW_NONCE)));
        assertThat(clock.sleeps()).containsExactly(FIRST_BACKOFF);
    }

    @ParameterizedTest
    @EnumSource(Breakage.class)
    void anOrderIsFetchedAgainAfterABrokenConnectionWithAFreshNonce(Breakage breakage) throws Exception {
        acme.stubBasics();
        Account account = acme.account(client, TestKeys.EC_P256.signer());
        answerBrokenThenWell(() -> post(urlEqualTo(ORDER)), breakage, FakeAcmeServer.json(200,
                acme.fixture("order-pending.json")));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.PENDING);
        acme.wireMock().verify(2, postRequestedFor(urlEqualTo(ORDER)));
        assertThat(clock.sleeps()).containsExactly(FIRST_BACKOFF);
        List<String> nonces = acme.wireMock().findAll(postRequestedFor(urlEqualTo(ORDER))).stream()
                .map(request -> SignedRequest.parse(request.getBodyAsString()).header("nonce"))
                .collect(Collectors.toList());
        assertThat(nonces).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aDirectoryThatNeverAnswersEndsAfterThreeRetriesWithGrowingBackoff() {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY))
                .willReturn(Breakage.CONNECTION_RESET.of(aResponse())));

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class, client::fetchDirectory);

        assertThat(e).hasMessageContaining("GET " + acme.directoryUrl());
        assertThat(e.mayHaveTakenEffect()).isFalse();
        acme.wireMock().verify(4, getRequestedFor(urlEqualTo(FakeAcmeServer.DIRECTORY)));
        assertThat(clock.sleeps()).containsExactly(FIRST_BACKOFF, FIRST_BACKOFF.multipliedBy(2),
                FIRST_BACKOFF.multipliedBy(4));
    }

    @Test
    void anOrderFetchThatKeepsStallingEndsAfterThreeRetries() throws Exception {
        acme.stubBasics();
        Account account = acme.account(client, TestKeys.EC_P256.signer());
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(Breakage.STALL_BEYOND_READ_TIMEOUT.of(
                FakeAcmeServer.json(200, acme.fixture("order-pending.json")))));

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class,
                () -> account.fetchOrder(acme.url(ORDER)));

        assertThat(e).hasMessageContaining("POST " + acme.url(ORDER)).hasMessageContaining("timed out");
        acme.wireMock().verify(4, postRequestedFor(urlEqualTo(ORDER)));
        assertThat(clock.sleeps()).hasSize(3);
    }

    private static void answerBrokenThenWell(Supplier<MappingBuilder> request, Breakage breakage,
                                             ResponseDefinitionBuilder answer) {
        acme.wireMock().stubFor(request.get().inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(breakage.of(answer)).willSetStateTo("recovered"));
        acme.wireMock().stubFor(request.get().inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(answer));
    }
}
