package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Headers the protocol relies on, broken by the server. The {@code Location} of a created
 * resource (RFC 8555 sections 7.3, 7.4 and 7.4.1) is its URL for every later request: when it is
 * missing, empty or no http(s) URL the creation is an {@link AcmeProtocolException} naming the
 * header, not a resource that fails on first use. A garbled {@code Retry-After} is no reason to
 * fail. (A missing {@code Location} on newAccount and newOrder is in {@link AccountTest} and
 * {@link OrderTest}, a missing {@code Replay-Nonce} in {@link NonceHandlingTest}.)
 */
class BadHeaderTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NEW_ORDER = "/order-plz";
    private static final String NEW_AUTHZ = "/new-authz";
    private static final String ORDER = "/my-order/TOlocE8rfgo";

    private AcmeClient client;
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        client = acme.client(new FakeClock());
        account = acme.account(client, TestKeys.EC_P256.signer());
    }

    @Test
    void aPreAuthorizationWithoutLocationIsAProtocolErrorNamingIt() {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_AUTHZ)).willReturn(FakeAcmeServer.json(201,
                acme.fixture("authz-pending.json"))));

        assertThatThrownBy(() -> account.preAuthorize(Identifier.dns("www.example.org")))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("newAuthz")
                .hasMessageContaining("Location");
    }

    @ParameterizedTest(name = "newAccount, Location: \"{0}\"")
    @ValueSource(strings = {"mailto:accounts@example.org", "http://", "::::", "https://exa mple.org/acct/1",
        "ftp://127.0.0.1/my-account/1", "urn:uuid:5f0a1c2e-8f8e-4c43-9b6f-1d7d6c2f0f7e"})
    void aNewAccountWhoseLocationIsNoHttpUrlIsAProtocolErrorNamingIt(String location) {
        acme.wireMock().stubFor(post(urlEqualTo(FakeAcmeServer.NEW_ACCOUNT)).willReturn(
                created("account.json", location)));

        assertProtocolErrorNamingLocation(() -> client.newAccount(TestKeys.EC_P384.signer()).create());
    }

    @ParameterizedTest(name = "newOrder, Location: \"{0}\"")
    @ValueSource(strings = {"mailto:orders@example.org", "http://", "::::", "https://exa mple.org/order/1",
        "ftp://127.0.0.1/my-order/1", "urn:uuid:5f0a1c2e-8f8e-4c43-9b6f-1d7d6c2f0f7e"})
    void aNewOrderWhoseLocationIsNoHttpUrlIsAProtocolErrorNamingIt(String location) {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(created("order-pending.json", location)));

        assertProtocolErrorNamingLocation(() -> account.newOrder().domains("www.example.org").create());
    }

    /**
     * An empty {@code Location} says as little as none; resolved against the request URL it would
     * quietly become the URL of the server's root and every later fetch of the order would fail.
     */
    @ParameterizedTest(name = "Location: \"{0}\"")
    @ValueSource(strings = {"", " "})
    void aNewOrderWithAnEmptyLocationIsAProtocolErrorNamingIt(String location) {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(created("order-pending.json", location)));

        assertProtocolErrorNamingLocation(() -> account.newOrder().domains("www.example.org").create());
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\"")
    @ValueSource(strings = {"soon", "-5", "1.5", "0x10", "Someday, 99 Foo 2025 25:61:61 GMT"})
    void aGarbledRetryAfterOnAnOrderIsIgnored(String retryAfter) throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-processing.json")).withHeader("Retry-After", retryAfter)));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.PROCESSING);
        assertThat(order.retryAfter()).isEmpty();
    }

    private ResponseDefinitionBuilder created(String fixture, String location) {
        return FakeAcmeServer.json(201, acme.fixture(fixture)).withHeader("Location", location);
    }

    private static void assertProtocolErrorNamingLocation(ThrowingCallable create) {
        assertThatThrownBy(create)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("Location");
    }
}
