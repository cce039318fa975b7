package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 8555 section 6.1: ACME runs over HTTPS. Against a WireMock that speaks only TLS, with a
 * certificate for 127.0.0.1 that the client trusts as an extra anchor (verification stays on), a
 * server that hands out a plain {@code http://} URL is refused with an {@link AcmeProtocolException}
 * before a signed request goes out in clear text.
 */
class HttpsOnlyTest {
    @RegisterExtension
    static final FakeAcmeServer acme = FakeAcmeServer.overHttps();

    private static final String ORDER = "/my-order/TOlocE8rfgo";

    private final FakeClock clock = new FakeClock();

    @Test
    void anHttpsDirectoryIsReadWhenItsCertificateIsAnExtraTrustAnchor() throws Exception {
        acme.stubDirectory("directory.json");

        Directory directory = acme.client(clock).fetchDirectory();

        assertThat(acme.base()).startsWith("https://127.0.0.1:");
        assertThat(directory.newOrder()).isEqualTo(acme.url("/order-plz"));
    }

    @Test
    void withoutTheTrustAnchorTheHandshakeFailsAndNoRequestIsMade() {
        acme.stubDirectory("directory.json");
        AcmeClient untrusting = AcmeClient.builder(acme.directoryUrl()).clock(clock).build();

        AcmeNetworkException e = catchThrowableOfType(AcmeNetworkException.class, untrusting::fetchDirectory);

        assertThat(e).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
        assertThat(e.mayHaveTakenEffect()).isFalse();
        acme.wireMock().verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"newNonce", "newAccount", "newOrder", "revokeCert", "keyChange", "renewalInfo"})
    void aDirectoryThatHandsOutAPlainHttpUrlIsRefusedNamingTheResource(String resource) {
        String plain = "http://127.0.0.1:" + acme.wireMock().httpsPort() + "/" + resource;
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("directory.json", d -> d.put(resource, plain)))));

        assertThatThrownBy(() -> acme.client(clock).fetchDirectory())
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(resource)
                .hasMessageContaining(plain);
    }

    /** The finalize request carries the CSR; it must not leave over plain HTTP. */
    @Test
    void aPlainHttpFinalizeUrlInAnOrderFetchedOverHttpsIsRefused() throws Exception {
        String plain = plainHttp("/finalize-order/TOlocE8rfgo");
        Account account = account();
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-ready.json", o -> o.put("finalize", plain)))));

        assertRefused(() -> account.fetchOrder(acme.url(ORDER)).finalizeWith(TestKeys.EC_P384.signer()), plain);
    }

    @Test
    void aPlainHttpAuthorizationUrlInAnOrderFetchedOverHttpsIsRefused() throws Exception {
        String plain = plainHttp("/authZ/PAniVnsZcis");
        Account account = account();
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-pending.json", o -> o.withArray("authorizations").set(0, plain)))));

        assertRefused(() -> account.fetchOrder(acme.url(ORDER)).fetchAuthorizations(), plain);
    }

    @Test
    void aPlainHttpLocationOfANewOrderOverHttpsIsRefused() throws Exception {
        String plain = plainHttp(ORDER);
        Account account = account();
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("order-pending.json")).withHeader("Location", plain)));

        assertRefused(() -> account.newOrder().domains("www.example.org").create().fetch(), plain);
    }

    private Account account() throws AcmeException {
        acme.stubBasics();
        return acme.account(acme.client(clock), TestKeys.EC_P256.signer());
    }

    /** The URL of a path on this server with the scheme downgraded to http. */
    private static String plainHttp(String path) {
        return "http://127.0.0.1:" + acme.wireMock().httpsPort() + path;
    }

    private static void assertRefused(ThrowingCallable call, String plainUrl) {
        assertThatThrownBy(call)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(plainUrl);
    }
}
