package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subdomain authorizations (RFC 9444), which Pebble lacks: WireMock plays a CA whose directory
 * offers them, grants one on newAuthz, and lists the ancestor domain's authorization in an order
 * for a subdomain, which the issuance flow reuses without a challenge.
 */
class SubdomainAuthorizationTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ANCESTOR_AUTHZ = "/authZ/ancestor";

    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        acme.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(FakeAcmeServer.DIRECTORY))
                .willReturn(FakeAcmeServer.json(200, acme.fixture("directory.json",
                        json -> json.with("meta").put("subdomainAuthAllowed", true)))));
        account = acme.account(acme.client(new FakeClock(java.time.Instant.now())), TestKeys.EC_P256.signer());
    }

    @Test
    void aDomainIsPreAuthorizedForItsSubdomainsWhenTheCaOffersIt() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo("/new-authz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("authz-example-org-pending.json", json -> json.put("subdomainAuthAllowed", true)))
                .withHeader("Location", acme.base() + ANCESTOR_AUTHZ)));

        Authorization authorization = account.preAuthorize(Identifier.dns("example.org"), true);

        assertThat(authorization.subdomainAuthAllowed()).isTrue();
        assertThat(SignedRequest.parse(acme.postBodies("/new-authz").get(0)).payload())
                .contains("\"subdomainAuthAllowed\":true");
    }

    @Test
    void subdomainAuthorizationIsRefusedBeforeAnyRequestWhenTheCaDoesNotOfferIt() throws Exception {
        acme.stubDirectory("directory.json");
        Account plain = acme.account(acme.client(), TestKeys.EC_P384.signer());

        assertThatThrownBy(() -> plain.preAuthorize(Identifier.dns("example.org"), true))
                .isInstanceOf(AcmeNotSupportedException.class).hasMessageContaining("RFC 9444");
        acme.wireMock().verify(0, postRequestedFor(urlEqualTo("/new-authz")));
    }

    @Test
    void anOrderForASubdomainReusesTheAncestorsValidAuthorizationWithoutAChallenge() throws Exception {
        AcmeSigner certificateKey = TestKeys.EC_P384.signer();
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("order-pending.json", json -> {
                    json.putArray("identifiers").addObject().put("type", "dns").put("value", "www.example.org");
                    json.putArray("authorizations").add(acme.base() + ANCESTOR_AUTHZ);
                })).withHeader("Location", acme.base() + "/my-order/TOlocE8rfgo")));
        acme.wireMock().stubFor(post(urlEqualTo(ANCESTOR_AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-example-org-pending.json", json -> {
                    json.put("status", "valid").put("subdomainAuthAllowed", true);
                    json.withArray("challenges").forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c)
                            .put("status", "valid"));
                }))));
        acme.wireMock().stubFor(post(urlEqualTo("/finalize-order/TOlocE8rfgo")).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-valid.json", json -> {
                    json.putArray("identifiers").addObject().put("type", "dns").put("value", "www.example.org");
                    json.putArray("authorizations").add(acme.base() + ANCESTOR_AUTHZ);
                }))));
        List<X509Certificate> issued = TestCertificates.chain(certificateKey.publicKey(), "www.example.org");
        acme.wireMock().stubFor(post(urlEqualTo("/certZ/mAt3xBGaobw")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/pem-certificate-chain")
                        .withBody(TestCertificates.pem(issued))));

        IssuanceResult result = account.issue(IssuanceRequest.builder().domains("www.example.org")
                .certificateKey(certificateKey).build());

        assertThat(result.reusedAuthorizations()).isEqualTo(1);
        assertThat(result.chain().leaf()).isEqualTo(issued.get(0));
    }
}
