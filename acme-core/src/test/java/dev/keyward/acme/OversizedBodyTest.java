package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Response bodies are read up to a cap ({@link AcmeClient#DEFAULT_MAX_RESPONSE_BYTES}, 2 MiB, or
 * what {@link AcmeClient.Builder#maxResponseBytes(long)} sets), whether the server declares the
 * size with {@code Content-Length} or streams it chunked (and gzipped, so the cap holds for the
 * inflated size). A larger body is an {@link AcmeProtocolException} that states the limit, for
 * JSON resources, certificate chains and error pages alike, and it is not fetched again.
 */
class OversizedBodyTest {
    @RegisterExtension
    static final FakeAcmeServer chunked = new FakeAcmeServer();
    @RegisterExtension
    static final FakeAcmeServer sized = FakeAcmeServer.declaringContentLength();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";
    private static final long DEFAULT_LIMIT = AcmeClient.DEFAULT_MAX_RESPONSE_BYTES;

    /** How the server sends the body: with its size declared up front, or gzipped in chunks of unknown total. */
    enum Framing {
        CONTENT_LENGTH {
            @Override
            FakeAcmeServer server() {
                return sized;
            }

            @Override
            ResponseDefinitionBuilder apply(ResponseDefinitionBuilder response) {
                return response;
            }
        },
        CHUNKED {
            @Override
            FakeAcmeServer server() {
                return chunked;
            }

            @Override
            ResponseDefinitionBuilder apply(ResponseDefinitionBuilder response) {
                return response.withChunkedDribbleDelay(8, 20);
            }
        };

        abstract FakeAcmeServer server();

        abstract ResponseDefinitionBuilder apply(ResponseDefinitionBuilder response);
    }

    private final FakeClock clock = new FakeClock();

    @BeforeEach
    void stubServers() {
        chunked.stubBasics();
        sized.stubBasics();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aDirectoryLargerThanTheDefaultLimitIsRefusedStatingTheLimit(Framing framing) throws IOException {
        FakeAcmeServer acme = framing.server();
        String body = padded(acme.fixture("directory.json"), (int) DEFAULT_LIMIT + 1);
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY))
                .willReturn(framing.apply(FakeAcmeServer.json(200, body))));
        assertFramed(framing, "GET", FakeAcmeServer.DIRECTORY, body.length());

        assertThatThrownBy(() -> acme.client(clock).fetchDirectory())
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.directoryUrl().toString())
                .hasMessageContaining(String.valueOf(DEFAULT_LIMIT));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aTenKilobyteOrderIsRefusedByAClientWithAnEightKilobyteLimitAndNotFetchedAgain(Framing framing)
            throws Exception {
        FakeAcmeServer acme = framing.server();
        Account account = acme.account(acme.clientBuilder(clock).maxResponseBytes(8192).build(),
                TestKeys.EC_P256.signer());
        String body = padded(acme.fixture("order-pending.json"), 10 * 1024);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(framing.apply(FakeAcmeServer.json(200, body))));
        assertFramed(framing, "POST", ORDER, body.length());

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(ORDER).toString())
                .hasMessageContaining("8192");
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(ORDER)));
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void anOrderOfExactlyTheLimitIsRead(Framing framing) throws Exception {
        FakeAcmeServer acme = framing.server();
        Account account = acme.account(acme.clientBuilder(clock).maxResponseBytes(8192).build(),
                TestKeys.EC_P256.signer());
        String body = padded(acme.fixture("order-pending.json"), 8192);
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(framing.apply(FakeAcmeServer.json(200, body))));
        assertFramed(framing, "POST", ORDER, body.length());

        assertThat(account.fetchOrder(acme.url(ORDER)).status()).isEqualTo(Status.PENDING);
    }

    @Test
    void aCertificateChainLargerThanTheDefaultLimitIsRefusedStatingTheLimit() throws Exception {
        FakeAcmeServer acme = chunked;
        Account account = acme.account(acme.client(clock), TestKeys.EC_P256.signer());
        acme.stubResource(ORDER, "order-valid.json");
        Order order = account.fetchOrder(acme.url(ORDER));
        String pem = TestCertificates.pem(TestCertificates.chain(TestKeys.EC_P384.keyPair().getPublic(),
                "www.example.org"));
        String huge = pem.repeat((int) (DEFAULT_LIMIT / pem.length()) + 2);
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain").withBody(huge)
                .withChunkedDribbleDelay(8, 20)));

        assertThatThrownBy(order::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE).toString())
                .hasMessageContaining(String.valueOf(DEFAULT_LIMIT));
    }

    @Test
    void anErrorPageLargerThanTheDefaultLimitIsRefusedStatingTheLimitAfterOneRequest() throws Exception {
        FakeAcmeServer acme = sized;
        Account account = acme.account(acme.client(clock), TestKeys.EC_P256.signer());
        String page = padded("<html><body>" + "<p>Internal Server Error</p>".repeat(10), (int) DEFAULT_LIMIT + 4096)
                + "</body></html>";
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "text/html").withBody(page)));

        assertThatThrownBy(() -> account.newOrder().domains("www.example.org").create())
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(String.valueOf(DEFAULT_LIMIT));
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo("/order-plz")));
    }

    /** The text padded with trailing spaces (JSON whitespace) to exactly {@code size} bytes. */
    private static String padded(String text, int size) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(size);
        return text + " ".repeat(size - bytes);
    }

    /**
     * Checks with a plain OkHttp request that the stub really frames the body as the test says
     * (Jetty may add a {@code Content-Length} on its own), then forgets that request.
     */
    private static void assertFramed(Framing framing, String method, String path, int size) throws IOException {
        FakeAcmeServer acme = framing.server();
        OkHttpClient http = new OkHttpClient();
        Request request = new Request.Builder().url(acme.url(path).toString())
                .method(method, method.equals("POST") ? RequestBody.create(new byte[0]) : null).build();
        try (Response response = http.newCall(request).execute()) {
            long declared = response.body().contentLength();
            assertThat(declared).as("Content-Length of the stub").isEqualTo(framing == Framing.CHUNKED ? -1 : size);
        } finally {
            http.connectionPool().evictAll();
            acme.wireMock().resetRequests();
        }
    }
}
