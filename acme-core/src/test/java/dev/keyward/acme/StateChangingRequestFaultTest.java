package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that create or change state (newAccount, newOrder, finalize, a challenge response) are
 * not sent again after the connection broke once the request was out: the CA may have acted on
 * it, and Pebble, like real CAs, refuses a second finalize or a second answer to a challenge. The
 * {@link AcmeNetworkException} says {@linkplain AcmeNetworkException#mayHaveTakenEffect() it may
 * have taken effect}, so the caller can look the resource up again. A request that surely never
 * left (a refused connection) says so, and is repeated per {@link RetryPolicy}.
 */
class StateChangingRequestFaultTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    /** A request that changes state at the CA, and the path it goes to. */
    enum Change {
        NEW_ACCOUNT(FakeAcmeServer.NEW_ACCOUNT),
        NEW_ORDER("/order-plz"),
        FINALIZE("/finalize-order/TOlocE8rfgo"),
        CHALLENGE_RESPONSE("/chalZ/prV_B7yEyA4");

        final String path;

        Change(String path) {
            this.path = path;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final OkHttpClient http = Breakage.impatientHttpClient();
    private AcmeClient client;
    private Account account;

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
    }

    @AfterEach
    void releaseConnections() {
        http.connectionPool().evictAll();
    }

    static Stream<Arguments> everyChangeAfterEveryBreakage() {
        return Arrays.stream(Change.values()).flatMap(change -> Arrays.stream(Breakage.values())
                .map(breakage -> Arguments.of(change, breakage)));
    }

    @ParameterizedTest(name = "{0} after {1}")
    @MethodSource("everyChangeAfterEveryBreakage")
    void aChangeIsNotSentAgainAfterABrokenConnectionAndMayHaveTakenEffect(Change change, Breakage breakage)
            throws Exception {
        useClient(RetryPolicy.defaults());
        ThrowingCallable request = prepare(change);
        acme.wireMock().stubFor(post(urlEqualTo(change.path)).willReturn(breakage.of(answer(change))));
        int before = posts(change.path);

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class, request);

        assertThat(e).as("an AcmeNetworkException").isNotNull();
        assertThat(e.mayHaveTakenEffect()).isTrue();
        assertThat(e).hasMessageContaining("POST " + acme.url(change.path));
        assertThat(posts(change.path) - before).as("requests that reached the server").isEqualTo(1);
        assertThat(clock.sleeps()).as("no backoff, since nothing is repeated").isEmpty();
    }

    @Test
    void aNewOrderToAPortWhereNothingListensSurelyTookNoEffectAndIsRepeatedPerThePolicy() throws Exception {
        String refusing = "http://127.0.0.1:" + freePort() + "/order-plz";
        serveDirectoryWith("newOrder", refusing);
        useClient(RetryPolicy.defaults());

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class,
                () -> account.newOrder().domains("www.example.org").create());

        assertThat(e.mayHaveTakenEffect()).isFalse();
        assertThat(e).hasCauseInstanceOf(ConnectException.class).hasMessageContaining("POST " + refusing);
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1));
    }

    @Test
    void aFinalizeToAPortWhereNothingListensSurelyTookNoEffect() throws Exception {
        String refusing = "http://127.0.0.1:" + freePort() + "/finalize-order/TOlocE8rfgo";
        useClient(RetryPolicy.none());
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-ready.json", o -> o.put("finalize", refusing)))));
        Order ready = account.fetchOrder(acme.url(ORDER));

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class,
                () -> ready.finalizeWith(TestKeys.EC_P384.signer()));

        assertThat(e.mayHaveTakenEffect()).isFalse();
        assertThat(e).hasCauseInstanceOf(ConnectException.class);
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void aRefusedNewOrderIsSentAgainOnceTheServerListensAndReachesItOnce() throws Exception {
        int port = freePort();
        serveDirectoryWith("newOrder", "http://127.0.0.1:" + port + "/order-plz");
        useClient(RetryPolicy.defaults());
        WireMockServer late = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").port(port));
        late.stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("order-pending.json")).withHeader("Location", acme.base() + ORDER)));
        clock.onSleep(() -> {
            if (!late.isRunning()) {
                late.start();
            }
        });
        try {
            Order order = account.newOrder().domains("www.example.org", "example.org").create();

            assertThat(order.url()).isEqualTo(acme.url(ORDER));
            assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(250));
            late.verify(1, postRequestedFor(urlEqualTo("/order-plz")));
        } finally {
            late.stop();
        }
    }

    private void useClient(RetryPolicy policy) throws AcmeException {
        client = acme.clientBuilder(clock).httpClient(http).retryPolicy(policy).build();
        account = acme.account(client, TestKeys.EC_P256.signer());
    }

    /** Fetches what the change needs and returns the change itself, not yet sent. */
    private ThrowingCallable prepare(Change change) throws AcmeException {
        switch (change) {
            case NEW_ACCOUNT:
                return () -> client.newAccount(TestKeys.EC_P384.signer()).agreeToTermsOfService().create();
            case NEW_ORDER:
                return () -> account.newOrder().domains("www.example.org", "example.org").create();
            case FINALIZE:
                acme.stubResource(ORDER, "order-ready.json");
                Order ready = account.fetchOrder(acme.url(ORDER));
                return () -> ready.finalizeWith(TestKeys.EC_P384.signer());
            case CHALLENGE_RESPONSE:
                acme.stubResource(AUTHZ, "authz-pending.json");
                Http01Challenge challenge = account.fetchAuthorization(acme.url(AUTHZ))
                        .challenge(Http01Challenge.class).orElseThrow();
                return challenge::respond;
            default:
                throw new IllegalArgumentException(change.name());
        }
    }

    /** What the server would have answered, had the connection held. */
    private static ResponseDefinitionBuilder answer(Change change) {
        switch (change) {
            case NEW_ACCOUNT:
                return FakeAcmeServer.json(201, acme.fixture("account.json"))
                        .withHeader("Location", acme.base() + "/my-account/2");
            case NEW_ORDER:
                return FakeAcmeServer.json(201, acme.fixture("order-pending.json"))
                        .withHeader("Location", acme.base() + ORDER);
            case FINALIZE:
                return FakeAcmeServer.json(200, acme.fixture("order-processing.json"));
            case CHALLENGE_RESPONSE:
                return FakeAcmeServer.json(200, acme.fixture("challenge-http-01-processing.json"));
            default:
                throw new IllegalArgumentException(change.name());
        }
    }

    private static void serveDirectoryWith(String resource, String url) {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("directory.json", d -> d.put(resource, url)))));
    }

    private static int posts(String path) {
        return acme.wireMock().countRequestsMatching(postRequestedFor(urlEqualTo(path)).build()).getCount();
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
