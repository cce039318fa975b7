package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an {@link AcmeEventListener} hears for what a real server cannot be made to do on demand:
 * {@code badNonce} (RFC 8555 section 6.5), {@code rateLimited} with {@code Retry-After} (section
 * 6.6), a server error and a broken connection retried per {@link RetryPolicy}; and that a
 * listener which throws never breaks a request.
 */
class ClientEventsTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String NEW_ORDER = "/order-plz";

    private final AcmeSigner key = TestKeys.EC_P256.signer();
    private final FakeClock clock = new FakeClock();
    private final Recording events = new Recording();

    @BeforeEach
    void stubServer() {
        acme.stubBasics();
    }

    @Test
    void aFirstRequestReportsTheDirectoryTheNonceMissAndEachRequestWithItsStatus() throws Exception {
        acme.account(client(RetryPolicy.defaults()), key);

        assertThat(events.lines).containsExactly(
                "start GET /dir", "end GET /dir 200",
                "nonceMiss /nonce-plz", "start HEAD /nonce-plz", "end HEAD /nonce-plz 200",
                "start POST /sign-me-up", "end POST /sign-me-up 201");
        assertThat(events.durations).hasSize(3).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofMinutes(1)) < 0);
    }

    @Test
    void badNonceIsReportedWithItsAttemptAndTheRequestIsSentAgainWithoutAnotherNonceMiss() throws Exception {
        Account account = acme.account(client(RetryPolicy.defaults()), key);
        answerInTurn(ORDER, FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json"))
                .withHeader("Replay-Nonce", "zpg-_OeF9d0HJWvV7VfUAg"), FakeAcmeServer.json(200,
                acme.fixture("order-pending.json")));
        events.lines.clear();

        account.fetchOrder(acme.url(ORDER));

        assertThat(events.lines).containsExactly(
                "start POST " + ORDER, "end POST " + ORDER + " 400", "badNonce " + ORDER + " 1",
                "start POST " + ORDER, "end POST " + ORDER + " 200");
    }

    @Test
    void rateLimitedIsReportedWithItsRetryAfterAndTheWaitedRetry() throws Exception {
        Account account = acme.account(client(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build()), key);
        answerInTurn(NEW_ORDER, FakeAcmeServer.problem(429, Fixtures.text("problem-rate-limited.json"))
                .withHeader("Retry-After", "30"), FakeAcmeServer.json(201, acme.fixture("order-pending.json"))
                .withHeader("Location", acme.base() + ORDER));
        events.lines.clear();
        Instant refused = clock.now();

        account.newOrder().domains("www.example.org").create();

        assertThat(events.lines).containsExactly(
                "start POST " + NEW_ORDER, "end POST " + NEW_ORDER + " 429",
                "rateLimited " + NEW_ORDER + " " + refused.plusSeconds(30),
                "retry POST " + NEW_ORDER + " 1 PT30S AcmeRateLimitedException",
                "start POST " + NEW_ORDER, "end POST " + NEW_ORDER + " 201");
    }

    @Test
    void aServerErrorOnASafeRequestIsRetriedWithEachAttemptAndDelayReported() throws Exception {
        Account account = acme.account(client(RetryPolicy.defaults()), key);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.problem(500,
                "{\"type\":\"urn:ietf:params:acme:error:serverInternal\",\"status\":500}")));
        events.lines.clear();

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER))).isInstanceOf(AcmeServerException.class);

        List<String> retries = events.starting("retry");
        assertThat(retries).hasSize(RetryPolicy.defaults().maxRetries());
        assertThat(retries.get(0)).startsWith("retry POST " + ORDER + " 1 " + RetryPolicy.defaults().backoff(1));
        assertThat(retries.get(2)).startsWith("retry POST " + ORDER + " 3 " + RetryPolicy.defaults().backoff(3));
        assertThat(events.starting("end")).hasSize(1 + RetryPolicy.defaults().maxRetries())
                .allMatch(line -> line.endsWith(" 500"));
    }

    @Test
    void aBrokenConnectionIsAFailedRequestThenARetryThatNeedsAFreshNonce() throws Exception {
        Account account = acme.account(client(RetryPolicy.defaults()), key);
        answerInTurn(ORDER, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                FakeAcmeServer.json(200, acme.fixture("order-pending.json")));
        events.lines.clear();

        account.fetchOrder(acme.url(ORDER));

        assertThat(events.lines).containsExactly(
                "start POST " + ORDER, "failed POST " + ORDER + " AcmeNetworkException",
                "retry POST " + ORDER + " 1 " + RetryPolicy.defaults().backoff(1) + " AcmeNetworkException",
                "nonceMiss /nonce-plz", "start HEAD /nonce-plz", "end HEAD /nonce-plz 200",
                "start POST " + ORDER, "end POST " + ORDER + " 200");
    }

    @Test
    void aListenerThatThrowsOnEveryEventBreaksNothing() throws Exception {
        AcmeEventListener throwing = new AcmeEventListener() {
            @Override
            public void requestStart(String method, URI url) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void requestEnd(String method, URI url, int status, Duration duration) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void nonceMiss(URI newNonceUrl) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void badNonce(URI url, int attempt) {
                throw new IllegalStateException("listener bug");
            }
        };
        AcmeClient client = acme.clientBuilder(clock).eventListener(throwing).build();
        Account account = acme.account(client, key);
        answerInTurn(ORDER, FakeAcmeServer.problem(400, Fixtures.text("problem-bad-nonce.json")),
                FakeAcmeServer.json(200, acme.fixture("order-pending.json")));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void theListenerDefaultsToNoneAndIsRequired() {
        assertThatThrownBy(() -> AcmeClient.builder(acme.directoryUrl()).eventListener(null))
                .isInstanceOf(NullPointerException.class);
    }

    private AcmeClient client(RetryPolicy policy) {
        return acme.clientBuilder(clock).retryPolicy(policy).eventListener(events).build();
    }

    private static void answerInTurn(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        acme.wireMock().stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("answered once"));
        acme.wireMock().stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs("answered once")
                .willReturn(then));
    }

    /** Records each event as one line naming the path, not the host. */
    static final class Recording implements AcmeEventListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<Duration> durations = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void requestStart(String method, URI url) {
            lines.add("start " + method + " " + url.getPath());
        }

        @Override
        public void requestEnd(String method, URI url, int status, Duration duration) {
            durations.add(duration);
            lines.add("end " + method + " " + url.getPath() + " " + status);
        }

        @Override
        public void requestFailed(String method, URI url, Exception failure, Duration duration) {
            lines.add("failed " + method + " " + url.getPath() + " " + failure.getClass().getSimpleName());
        }

        @Override
        public void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
            lines.add("retry " + method + " " + url.getPath() + " " + attempt + " " + delay + " "
                    + reason.getClass().getSimpleName());
        }

        @Override
        public void badNonce(URI url, int attempt) {
            lines.add("badNonce " + url.getPath() + " " + attempt);
        }

        @Override
        public void nonceMiss(URI newNonceUrl) {
            lines.add("nonceMiss " + newNonceUrl.getPath());
        }

        @Override
        public void rateLimited(URI url, Optional<Instant> retryAfter) {
            lines.add("rateLimited " + url.getPath() + " " + retryAfter.map(Instant::toString).orElse("-"));
        }

        @Override
        public void poll(URI url, Status status, Duration nextDelay) {
            lines.add("poll " + url.getPath() + " " + status.value() + " " + nextDelay);
        }

        List<String> starting(String prefix) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith(prefix + " ")).collect(java.util.stream.Collectors.toList());
            }
        }
    }
}
