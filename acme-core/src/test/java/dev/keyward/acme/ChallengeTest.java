package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a client computes from a challenge (RFC 8555 section 8): key authorizations checked
 * against jose4j's JWK thumbprint (RFC 7638), the http-01 path and the dns-01 TXT record.
 */
class ChallengeTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void theKeyAuthorizationIsTheTokenADotAndTheAccountKeysThumbprint(TestKeys keys) throws Exception {
        Http01Challenge http = authorization("authz-pending.json", keys.signer())
                .challenge(Http01Challenge.class).orElseThrow();

        assertThat(http.keyAuthorization()).isEqualTo("DGyRejmCefe7v4NfDGDKfA." + thumbprint(keys));
    }

    @Test
    void anHttp01ChallengeIsServedAtTheWellKnownPathOfItsToken() throws Exception {
        Http01Challenge http = authorization("authz-pending.json", TestKeys.EC_P256.signer())
                .challenge(Http01Challenge.class).orElseThrow();

        assertThat(http.path()).isEqualTo("/.well-known/acme-challenge/DGyRejmCefe7v4NfDGDKfA");
        assertThat(http.tokenValue()).isEqualTo("DGyRejmCefe7v4NfDGDKfA");
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void theDns01TxtValueIsTheBase64urlSha256OfTheKeyAuthorization(TestKeys keys) throws Exception {
        Dns01Challenge dns = authorization("authz-pending.json", keys.signer())
                .challenge(Dns01Challenge.class).orElseThrow();

        String keyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." + thumbprint(keys);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        assertThat(dns.keyAuthorization()).isEqualTo(keyAuthorization);
        assertThat(dns.txtValue()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
                .hasSize(43);
    }

    @Test
    void theDns01RecordIsNamedAfterTheIdentifier() throws Exception {
        Dns01Challenge dns = authorization("authz-pending.json", TestKeys.EC_P256.signer())
                .challenge(Dns01Challenge.class).orElseThrow();

        assertThat(dns.recordName()).isEqualTo("_acme-challenge.www.example.org");
    }

    @Test
    void theDns01RecordNameDropsTheWildcardLabelWhenTheServerKeptIt() throws Exception {
        acme.stubBasics();
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-wildcard.json").replace("\"value\": \"example.org\"", "\"value\": \"*.example.org\""))));

        Dns01Challenge dns = account.fetchAuthorization(acme.url(AUTHZ)).challenge(Dns01Challenge.class).orElseThrow();

        assertThat(dns.identifier().value()).isEqualTo("*.example.org");
        assertThat(dns.recordName()).isEqualTo("_acme-challenge.example.org");
    }

    @Test
    void aChallengeWithoutTokenHasNoKeyAuthorization() throws Exception {
        acme.stubBasics();
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-pending.json")
                        .replace("\"token\": \"yPCBKWzmPqT5wF0oFk3C0qKz4-3zVbbRa1nO0qUOvUU\"", "\"validated\": null"))));

        Challenge onion = account.fetchAuthorization(acme.url(AUTHZ)).challenge("onion-csr-01").orElseThrow();

        assertThat(onion.token()).isEmpty();
        assertThatThrownBy(onion::keyAuthorization)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onion-csr-01");
    }

    @Test
    void respondingPostsAnEmptyObjectToTheChallengeUrl() throws Exception {
        Http01Challenge http = authorization("authz-pending.json", TestKeys.EC_P256.signer())
                .challenge(Http01Challenge.class).orElseThrow();
        acme.stubResource("/chalZ/prV_B7yEyA4", "challenge-http-01-processing.json");

        Challenge answered = http.respond();

        assertThat(answered).isInstanceOf(Http01Challenge.class);
        assertThat(answered.status()).isEqualTo(Status.PROCESSING);
        assertThat(answered.identifier()).isEqualTo(http.identifier());
        SignedRequest request = SignedRequest.parse(acme.postBodies("/chalZ/prV_B7yEyA4").get(0));
        assertThat(request.payload()).isEqualTo("{}");
        assertThat(request.header("url")).isEqualTo(acme.url("/chalZ/prV_B7yEyA4").toString());
    }

    @Test
    void fetchingAChallengeIsAPostAsGet() throws Exception {
        Http01Challenge http = authorization("authz-pending.json", TestKeys.EC_P256.signer())
                .challenge(Http01Challenge.class).orElseThrow();
        acme.stubResource("/chalZ/prV_B7yEyA4", "challenge-http-01-processing.json");

        Challenge fresh = http.fetch();

        assertThat(fresh.status()).isEqualTo(Status.PROCESSING);
        assertThat(SignedRequest.parse(acme.postBodies("/chalZ/prV_B7yEyA4").get(0)).payload()).isEmpty();
    }

    private static Authorization authorization(String fixture, AcmeSigner accountKey) throws AcmeException {
        acme.stubBasics();
        acme.stubResource(AUTHZ, fixture);
        Account account = acme.account(acme.client(), accountKey);
        return account.fetchAuthorization(acme.url(AUTHZ));
    }

    /** RFC 7638 thumbprint by jose4j, independently of Keyward's own (internal.Jwks). */
    private static String thumbprint(TestKeys keys) throws Exception {
        return PublicJsonWebKey.Factory.newPublicJwk(keys.keyPair().getPublic())
                .calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
    }
}
