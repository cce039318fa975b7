package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Orders, authorizations, challenges and accounts (RFC 8555 sections 7.1.2 to 7.1.5) with fields
 * of the wrong type, required fields missing, or {@code null} where an object belongs are refused
 * with an {@link AcmeProtocolException} that names the field and the resource, never a
 * {@code NullPointerException} or {@code ClassCastException}. Optional fields that are
 * {@code null} are absent, and what this library does not know (fields, identifier types, status
 * strings) is kept. (Cases already in {@link OrderTest} and {@link AuthorizationTest} are not
 * repeated.)
 */
class BadResourceTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    private final FakeClock clock = new FakeClock();
    private final AcmeSigner accountKey = TestKeys.EC_P256.signer();
    private AcmeClient client;
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        client = acme.client(clock);
        account = acme.account(client, accountKey);
    }

    static Stream<Arguments> brokenOrders() {
        return Stream.of(
                broken("status is missing", o -> o.remove("status"), "'status'"),
                broken("status is null", o -> o.putNull("status"), "'status'"),
                broken("status is an object", o -> o.putObject("status").put("value", "pending"), "'status'"),
                broken("identifiers is an object", o -> o.putObject("identifiers").put("type", "dns")
                        .put("value", "example.org"), "'identifiers'"),
                broken("identifiers holds null", o -> array(o, "identifiers").insertNull(0), "'identifiers[0]'"),
                broken("identifiers holds a string", o -> array(o, "identifiers").add("example.org"),
                        "'identifiers[2]'"),
                broken("an identifier lacks its value", o -> element(o, "identifiers", 1).remove("value"), "'value'"),
                broken("an identifier's type is a number", o -> element(o, "identifiers", 0).put("type", 1), "'type'"),
                broken("an identifier's type is empty", o -> element(o, "identifiers", 0).put("type", ""), "type"),
                broken("an identifier's value is empty", o -> element(o, "identifiers", 1).put("value", ""), "value"),
                broken("authorizations is missing (RFC 8555 section 7.1.3: required)", o -> o.remove("authorizations"),
                        "'authorizations'"),
                broken("authorizations is null", o -> o.putNull("authorizations"), "'authorizations'"),
                broken("authorizations holds a number", o -> array(o, "authorizations").add(42),
                        "'authorizations[2]'"),
                broken("authorizations is a string", o -> o.put("authorizations", acme.base() + "/authZ/1"),
                        "'authorizations'"),
                broken("an authorization URL is relative", o -> array(o, "authorizations").set(0, "/authZ/1"),
                        "'authorizations'"),
                broken("expires is not a date", o -> o.put("expires", "next Tuesday"), "'expires'"),
                broken("expires is seconds since the epoch", o -> o.put("expires", 1452002947), "'expires'"),
                broken("notBefore is a date without a time", o -> o.put("notBefore", "2016-01-01"), "'notBefore'"),
                broken("finalize is null", o -> o.putNull("finalize"), "'finalize'"),
                broken("finalize is not an http(s) URL", o -> o.put("finalize", "ftp://127.0.0.1/finalize"),
                        "'finalize'"),
                broken("certificate is an object", o -> o.putObject("certificate").put("url", "x"), "'certificate'"),
                broken("error is a string", o -> o.put("error", "badCSR"), "'error'"),
                broken("error.status is a string", o -> o.putObject("error")
                        .put("type", "urn:ietf:params:acme:error:badCSR").put("status", "400"), "'status'"),
                broken("error.subproblems is an object", o -> o.putObject("error")
                        .put("type", "urn:ietf:params:acme:error:malformed").putObject("subproblems"),
                        "'subproblems'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenOrders")
    void aBrokenOrderIsAProtocolErrorNamingTheFieldAndTheOrder(String what, Consumer<ObjectNode> breakIt,
                                                               String field) {
        serve(ORDER, acme.fixture("order-pending.json", breakIt));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(field)
                .hasMessageContaining(acme.url(ORDER).toString());
    }

    static Stream<Arguments> brokenAuthorizations() {
        return Stream.of(
                broken("identifier is null", o -> o.putNull("identifier"), "'identifier'"),
                broken("identifier is a string", o -> o.put("identifier", "www.example.org"), "'identifier'"),
                broken("identifier is an array", o -> o.putArray("identifier").add("dns"), "'identifier'"),
                broken("identifier.value is a number", o -> object(o, "identifier").put("value", 7), "'value'"),
                broken("identifier.type is missing", o -> object(o, "identifier").remove("type"), "'type'"),
                broken("identifier.type is empty", o -> object(o, "identifier").put("type", ""), "type"),
                broken("status is missing", o -> o.remove("status"), "'status'"),
                broken("status is a boolean", o -> o.put("status", true), "'status'"),
                broken("expires is not a date", o -> o.put("expires", "2016-13-45T99:99:99Z"), "'expires'"),
                broken("wildcard is a string", o -> o.put("wildcard", "true"), "'wildcard'"),
                broken("challenges is an object", o -> o.putObject("challenges"), "'challenges'"),
                broken("challenges holds a number", o -> array(o, "challenges").insert(0, 1), "'challenges[0]'"),
                broken("challenges holds null", o -> array(o, "challenges").insertNull(1), "'challenges[1]'"),
                broken("an http-01 challenge lacks its url", o -> element(o, "challenges", 0).remove("url"), "'url'"),
                broken("an http-01 challenge's url is null", o -> element(o, "challenges", 0).putNull("url"), "'url'"),
                broken("a challenge lacks its type", o -> element(o, "challenges", 1).remove("type"), "'type'"),
                broken("a challenge lacks its status", o -> element(o, "challenges", 0).remove("status"), "'status'"),
                broken("an http-01 token is a number", o -> element(o, "challenges", 0).put("token", 12345), "'token'"),
                broken("a dns-01 challenge lacks its token", o -> element(o, "challenges", 1).remove("token"),
                        "'token'"),
                broken("a challenge's validated is not a date", o -> element(o, "challenges", 0)
                        .put("validated", "yesterday"), "'validated'"),
                broken("a challenge's error is an array", o -> element(o, "challenges", 0).putArray("error"),
                        "'error'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenAuthorizations")
    void aBrokenAuthorizationIsAProtocolErrorNamingTheField(String what, Consumer<ObjectNode> breakIt,
                                                            String field) {
        serve(AUTHZ, acme.fixture("authz-pending.json", breakIt));

        assertThatThrownBy(() -> account.fetchAuthorization(acme.url(AUTHZ)))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(field);
    }

    static Stream<Arguments> brokenAccounts() {
        return Stream.of(
                broken("status is missing", o -> o.remove("status"), "'status'"),
                broken("status is a number", o -> o.put("status", 1), "'status'"),
                broken("contact is a string", o -> o.put("contact", "mailto:cert-admin@example.org"), "'contact'"),
                broken("contact holds a number", o -> array(o, "contact").insert(0, 5), "'contact[0]'"),
                broken("orders is not a URL", o -> o.put("orders", "list-orderz/1"), "'orders'"),
                broken("termsOfServiceAgreed is a string", o -> o.put("termsOfServiceAgreed", "yes"),
                        "'termsOfServiceAgreed'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenAccounts")
    void aBrokenAccountIsAProtocolErrorNamingTheFieldAndTheAccount(String what, Consumer<ObjectNode> breakIt,
                                                                   String field) {
        serve(FakeAcmeServer.ACCOUNT, acme.fixture("account.json", breakIt));

        assertThatThrownBy(() -> client.fetchAccount(acme.url(FakeAcmeServer.ACCOUNT), accountKey))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(field)
                .hasMessageContaining(acme.url(FakeAcmeServer.ACCOUNT).toString());
    }

    @Test
    void aNewAccountAnswerThatIsAJsonArrayIsAProtocolError() {
        acme.wireMock().stubFor(post(urlEqualTo(FakeAcmeServer.NEW_ACCOUNT)).willReturn(FakeAcmeServer.json(201,
                "[" + acme.fixture("account.json") + "]")
                .withHeader("Location", acme.base() + FakeAcmeServer.ACCOUNT)));

        assertThatThrownBy(() -> client.newAccount(TestKeys.EC_P384.signer()).create())
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("newAccount")
                .hasMessageContaining("not a JSON object");
    }

    /**
     * {@code java.net.URI} takes a host label of 64 characters; DNS (RFC 1035) and the HTTP client
     * do not. Such a URL is the server's error, to be reported as one, not an
     * {@code IllegalArgumentException} of the HTTP library when the CSR is sent.
     */
    @Test
    void aFinalizeUrlWhoseHostNoHttpClientCanReachIsAProtocolError() throws Exception {
        String unreachable = "http://" + "a".repeat(64) + ".example/finalize-order/TOlocE8rfgo";
        serve(ORDER, acme.fixture("order-ready.json", o -> o.put("finalize", unreachable)));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)).finalizeWith(TestKeys.EC_P384.signer()))
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(unreachable);
    }

    @Test
    void anErrorThatIsNullIsAbsent() throws Exception {
        serve(ORDER, acme.fixture("order-invalid.json", o -> o.putNull("error")));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.INVALID);
        assertThat(order.error()).isEmpty();
    }

    @Test
    void optionalFieldsThatAreNullAreAbsent() throws Exception {
        serve(ORDER, acme.fixture("order-valid.json", o -> {
            o.putNull("expires");
            o.putNull("notBefore");
            o.putNull("notAfter");
            o.putNull("certificate");
        }));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.expires()).isEmpty();
        assertThat(order.notBefore()).isEmpty();
        assertThat(order.notAfter()).isEmpty();
        assertThat(order.certificateUrl()).isEmpty();
    }

    @Test
    void aChallengeWhoseErrorIsNullHasNoError() throws Exception {
        serve(AUTHZ, acme.fixture("authz-pending.json", o -> element(o, "challenges", 0).putNull("error")));

        Authorization authorization = account.fetchAuthorization(acme.url(AUTHZ));

        assertThat(authorization.challenge(Http01Challenge.class).orElseThrow().error()).isEmpty();
    }

    @Test
    void unknownFieldsOfEveryJsonTypeDoNotSpoilAnOrder() throws Exception {
        serve(ORDER, acme.fixture("order-pending.json", o -> {
            o.put("profile", "shortlived");
            o.put("x-count", 2);
            o.putNull("x-nothing");
            o.putArray("x-list").add(true).addObject().put("k", "v");
            o.putObject("x-object").putArray("deeper").add(1.5);
        }));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.status()).isEqualTo(Status.PENDING);
        assertThat(order.identifiers())
                .containsExactly(Identifier.dns("www.example.org"), Identifier.dns("example.org"));
        assertThat(order.finalizeUrl()).isEqualTo(acme.url("/finalize-order/TOlocE8rfgo"));
    }

    @Test
    void anIdentifierTypeTheLibraryDoesNotKnowIsKeptAsSent() throws Exception {
        serve(ORDER, acme.fixture("order-pending.json", o -> array(o, "identifiers").addObject()
                .put("type", "permanent-identifier").put("value", "device-0042")));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.identifiers()).endsWith(Identifier.of("permanent-identifier", "device-0042"));
    }

    @Test
    void anAuthorizationWithAStatusTheRfcDoesNotDefineIsUnknownWithTheRawStringKept() throws Exception {
        serve(AUTHZ, acme.fixture("authz-pending.json", o -> o.put("status", "on-hold")));

        Authorization authorization = account.fetchAuthorization(acme.url(AUTHZ));

        assertThat(authorization.status()).isEqualTo(Status.UNKNOWN);
        assertThat(authorization.rawStatus()).isEqualTo("on-hold");
        assertThat(authorization.toString()).contains("on-hold");
    }

    @Test
    void aChallengeWithAStatusTheRfcDoesNotDefineIsUnknownWithTheRawStringKept() throws Exception {
        serve(AUTHZ, acme.fixture("authz-pending.json", o -> element(o, "challenges", 0).put("status", "paused")));

        Challenge challenge = account.fetchAuthorization(acme.url(AUTHZ)).challenge(Http01Challenge.class)
                .orElseThrow();

        assertThat(challenge.status()).isEqualTo(Status.UNKNOWN);
        assertThat(challenge.rawStatus()).isEqualTo("paused");
    }

    @Test
    void anAccountWithAStatusTheRfcDoesNotDefineIsUnknownWithTheRawStringAndUnknownFieldsKept() throws Exception {
        serve(FakeAcmeServer.ACCOUNT, acme.fixture("account.json", o -> {
            o.put("status", "suspended");
            o.putObject("x-billing").put("plan", "free");
        }));

        Account fetched = client.fetchAccount(acme.url(FakeAcmeServer.ACCOUNT), accountKey);

        assertThat(fetched.status()).isEqualTo(Status.UNKNOWN);
        assertThat(fetched.rawStatus()).isEqualTo("suspended");
        assertThat(fetched.contacts()).containsExactly("mailto:cert-admin@example.org", "mailto:admin@example.org");
    }

    @Test
    void aChallengeOfAnUnknownTypeWithoutTokenIsKept() throws Exception {
        serve(AUTHZ, acme.fixture("authz-pending.json", o -> array(o, "challenges").addObject()
                .put("type", "x-unknown-01").put("url", acme.base() + "/chalZ/acct").put("status", "pending")
                .putObject("x-params").put("scope", "host")));

        Challenge challenge = account.fetchAuthorization(acme.url(AUTHZ)).challenge("x-unknown-01").orElseThrow();

        assertThat(challenge.token()).isEmpty();
        assertThat(challenge.fields()).containsEntry("x-params", Map.of("scope", "host"));
        assertThatThrownBy(challenge::keyAuthorization).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no token");
    }

    private static Arguments broken(String what, Consumer<ObjectNode> breakIt, String field) {
        return Arguments.of(what, breakIt, field);
    }

    private static ArrayNode array(ObjectNode json, String field) {
        return (ArrayNode) json.get(field);
    }

    private static ObjectNode object(ObjectNode json, String field) {
        return (ObjectNode) json.get(field);
    }

    private static ObjectNode element(ObjectNode json, String field, int index) {
        return (ObjectNode) json.get(field).get(index);
    }

    private static void serve(String path, String body) {
        acme.wireMock().stubFor(post(urlEqualTo(path)).willReturn(FakeAcmeServer.json(200, body)));
    }
}
