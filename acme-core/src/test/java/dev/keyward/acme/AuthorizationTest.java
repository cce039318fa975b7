package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authorizations (RFC 8555 section 7.1.4) and the challenges they offer (section 7.1.5). */
class AuthorizationTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(), TestKeys.EC_P256.signer());
    }

    @Test
    void aPendingAuthorizationIsParsedWithEveryField() throws Exception {
        Authorization authz = fetch("authz-pending.json");

        assertThat(authz.url()).isEqualTo(acme.url(AUTHZ));
        assertThat(authz.identifier()).isEqualTo(Identifier.dns("www.example.org"));
        assertThat(authz.status()).isEqualTo(Status.PENDING);
        assertThat(authz.rawStatus()).isEqualTo("pending");
        assertThat(authz.expires()).contains(Instant.parse("2016-01-02T14:09:30Z"));
        assertThat(authz.isWildcard()).isFalse();
        assertThat(authz.retryAfter()).isEmpty();
    }

    @Test
    void everyChallengeIsKeptInTheServersOrderWithTheClassOfItsType() throws Exception {
        Authorization authz = fetch("authz-pending.json");

        assertThat(authz.challenges()).extracting(Challenge::type)
                .containsExactly("http-01", "dns-01", "tls-alpn-01", "onion-csr-01");
        assertThat(authz.challenges()).extracting(Object::getClass)
                .containsExactly(Http01Challenge.class, Dns01Challenge.class, TlsAlpn01Challenge.class, Challenge.class);
        assertThat(authz.challenges()).extracting(Challenge::url).containsExactly(
                acme.url("/chalZ/prV_B7yEyA4"), acme.url("/chalZ/Rg5dV14Gh1Q"),
                acme.url("/chalZ/l0Qy8FxZ3eA"), acme.url("/chalZ/9kzT1YcJp2w"));
        assertThat(authz.challenges()).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Status.PENDING);
            assertThat(c.rawStatus()).isEqualTo("pending");
            assertThat(c.identifier()).isEqualTo(Identifier.dns("www.example.org"));
            assertThat(c.validated()).isEmpty();
            assertThat(c.error()).isEmpty();
        });
    }

    @Test
    void challengesAreFoundByClassAndByTypeString() throws Exception {
        Authorization authz = fetch("authz-pending.json");

        Http01Challenge http = authz.challenge(Http01Challenge.class).orElseThrow();
        assertThat(http.tokenValue()).isEqualTo("DGyRejmCefe7v4NfDGDKfA");
        assertThat(http.token()).contains("DGyRejmCefe7v4NfDGDKfA");
        assertThat(authz.challenge(Dns01Challenge.class).orElseThrow().token())
                .contains("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
        assertThat(authz.challenge("tls-alpn-01").orElseThrow().token())
                .contains("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
        assertThat(authz.challenge("dns-account-01")).isEmpty();
    }

    @Test
    void anUnknownChallengeTypeStaysAPlainChallengeWithAllItsFields() throws Exception {
        Authorization authz = fetch("authz-pending.json");

        Challenge onion = authz.challenge("onion-csr-01").orElseThrow();

        assertThat(onion.getClass()).isEqualTo(Challenge.class);
        assertThat(onion.url()).isEqualTo(acme.url("/chalZ/9kzT1YcJp2w"));
        assertThat(onion.token()).contains("yPCBKWzmPqT5wF0oFk3C0qKz4-3zVbbRa1nO0qUOvUU");
        assertThat(onion.fields()).containsEntry("type", "onion-csr-01")
                .containsEntry("status", "pending")
                .containsEntry("url", acme.url("/chalZ/9kzT1YcJp2w").toString())
                .containsEntry("authKey", Map.of("kty", "OKP", "crv", "Ed25519",
                        "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"));
        assertThat(onion.keyAuthorization()).startsWith("yPCBKWzmPqT5wF0oFk3C0qKz4-3zVbbRa1nO0qUOvUU.");
    }

    @Test
    void aValidAuthorizationCarriesTheValidationTime() throws Exception {
        Authorization authz = fetch("authz-valid.json");

        assertThat(authz.status()).isEqualTo(Status.VALID);
        assertThat(authz.expires()).contains(Instant.parse("2018-09-09T14:09:01.130Z"));
        Challenge challenge = authz.challenges().get(0);
        assertThat(challenge.status()).isEqualTo(Status.VALID);
        assertThat(challenge.validated()).contains(Instant.parse("2014-12-01T12:05:58.160Z"));
    }

    @Test
    void aWildcardAuthorizationIsMarkedAndOffersOnlyDns01() throws Exception {
        Authorization authz = fetch("authz-wildcard.json");

        assertThat(authz.isWildcard()).isTrue();
        assertThat(authz.identifier()).isEqualTo(Identifier.dns("example.org"));
        assertThat(authz.challenge(Http01Challenge.class)).isEmpty();
        Dns01Challenge dns = authz.challenge(Dns01Challenge.class).orElseThrow();
        assertThat(dns.recordName()).isEqualTo("_acme-challenge.example.org");
        assertThat(authz.toString()).contains("wildcard");
    }

    @Test
    void anInvalidAuthorizationCarriesTheChallengesError() throws Exception {
        Authorization authz = fetch("authz-invalid.json");

        assertThat(authz.status()).isEqualTo(Status.INVALID);
        Challenge failed = authz.challenge(Http01Challenge.class).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.INVALID);
        assertThat(failed.validated()).contains(Instant.parse("2016-01-01T12:06:02Z"));
        Problem error = failed.error().orElseThrow();
        assertThat(error.type()).isEqualTo(URI.create("urn:ietf:params:acme:error:unauthorized"));
        assertThat(error.detail()).hasValueSatisfying(d -> assertThat(d)
                .startsWith("The key authorization file from the server did not match this challenge.")
                .contains("(got \"404 page not found\")"));
        assertThat(error.status()).hasValue(403);
        assertThat(authz.challenge(Dns01Challenge.class).orElseThrow().error()).isEmpty();
    }

    @Test
    void anAuthorizationWithoutIdentifierIsAProtocolErrorNamingTheField() {
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                "{\"status\":\"pending\",\"challenges\":[]}")));

        assertThatThrownBy(() -> account.fetchAuthorization(acme.url(AUTHZ)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("'identifier'")
                .hasMessageContaining(acme.url(AUTHZ).toString());
    }

    @Test
    void anHttp01ChallengeWithoutTokenIsAProtocolErrorNamingTheField() {
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-pending.json").replace("\"token\": \"DGyRejmCefe7v4NfDGDKfA\"",
                        "\"validated\": null"))));

        assertThatThrownBy(() -> account.fetchAuthorization(acme.url(AUTHZ)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("'token'")
                .hasMessageContaining("http-01");
    }

    @Test
    void aChallengeWithARelativeUrlIsAProtocolError() {
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-valid.json").replace(acme.base() + "/chalZ/prV_B7yEyA4", "/chalZ/relative"))));

        assertThatThrownBy(() -> account.fetchAuthorization(acme.url(AUTHZ)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("'url'");
    }

    private Authorization fetch(String fixture) throws AcmeException {
        acme.stubResource(AUTHZ, fixture);
        return account.fetchAuthorization(acme.url(AUTHZ));
    }
}
