package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.acme.internal.Base64Url;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Orders (RFC 8555 sections 7.1.3 and 7.4): parsing every state, creation, finalization, download. */
class OrderTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String FINALIZE = "/finalize-order/TOlocE8rfgo";
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";

    private final FakeClock clock = new FakeClock();
    private final AcmeSigner accountKey = TestKeys.EC_P256.signer();
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(clock), accountKey);
    }

    @Test
    void aPendingOrderIsParsedWithEveryField() throws Exception {
        Order order = fetch("order-pending.json");

        assertThat(order.url()).isEqualTo(acme.url(ORDER));
        assertThat(order.status()).isEqualTo(Status.PENDING);
        assertThat(order.rawStatus()).isEqualTo("pending");
        assertThat(order.expires()).contains(Instant.parse("2016-01-05T14:09:07.990Z"));
        assertThat(order.identifiers()).containsExactly(Identifier.dns("www.example.org"),
                Identifier.dns("example.org"));
        assertThat(order.notBefore()).as("RFC 3339 offset +04:00").contains(Instant.parse("2015-12-31T20:04:00Z"));
        assertThat(order.notAfter()).contains(Instant.parse("2016-01-07T20:04:00Z"));
        assertThat(order.authorizationUrls()).containsExactly(acme.url("/authZ/PAniVnsZcis"),
                acme.url("/authZ/r4HqLzrSrpI"));
        assertThat(order.finalizeUrl()).isEqualTo(acme.url(FINALIZE));
        assertThat(order.certificateUrl()).isEmpty();
        assertThat(order.error()).isEmpty();
        assertThat(order.retryAfter()).isEmpty();
    }

    @Test
    void aReadyOrderHasNoValidityWindowWhenTheServerSentNone() throws Exception {
        Order order = fetch("order-ready.json");

        assertThat(order.status()).isEqualTo(Status.READY);
        assertThat(order.rawStatus()).isEqualTo("ready");
        assertThat(order.notBefore()).isEmpty();
        assertThat(order.notAfter()).isEmpty();
        assertThat(order.identifiers()).hasSize(2);
        assertThat(order.certificateUrl()).isEmpty();
    }

    @Test
    void aProcessingOrderIsParsed() throws Exception {
        Order order = fetch("order-processing.json");

        assertThat(order.status()).isEqualTo(Status.PROCESSING);
        assertThat(order.rawStatus()).isEqualTo("processing");
        assertThat(order.finalizeUrl()).isEqualTo(acme.url(FINALIZE));
    }

    @Test
    void aValidOrderCarriesItsCertificateUrl() throws Exception {
        Order order = fetch("order-valid.json");

        assertThat(order.status()).isEqualTo(Status.VALID);
        assertThat(order.certificateUrl()).contains(acme.url(CERTIFICATE));
        assertThat(order.expires()).contains(Instant.parse("2016-01-20T14:09:07.990Z"));
        assertThat(order.notBefore()).contains(Instant.parse("2016-01-01T00:00:00Z"));
        assertThat(order.notAfter()).contains(Instant.parse("2016-01-08T00:00:00Z"));
    }

    @Test
    void anInvalidOrderCarriesItsError() throws Exception {
        Order order = fetch("order-invalid.json");

        assertThat(order.status()).isEqualTo(Status.INVALID);
        assertThat(order.identifiers()).containsExactly(Identifier.dns("www.example.org"));
        Problem error = order.error().orElseThrow();
        assertThat(error.type()).isEqualTo(URI.create("urn:ietf:params:acme:error:badCSR"));
        assertThat(error.isAcmeError("badCSR")).isTrue();
        assertThat(error.detail())
                .contains("Order includes different number of DNSnames identifiers than CSR specifies");
        assertThat(error.status()).hasValue(400);
        assertThat(error.subproblems()).isEmpty();
    }

    @Test
    void pebblesDeactivatedOrderKeepsItsRawStatus() throws Exception {
        Order order = fetch("order-deactivated.json");

        assertThat(order.status()).isEqualTo(Status.DEACTIVATED);
        assertThat(order.rawStatus()).isEqualTo("deactivated");
    }

    @Test
    void anUnknownStatusIsUnknownWithTheRawStringKept() throws Exception {
        Order order = fetch("order-unknown-status.json");

        assertThat(order.status()).isEqualTo(Status.UNKNOWN);
        assertThat(order.rawStatus()).isEqualTo("archived");
        assertThat(order.toString()).contains("archived");
    }

    @Test
    void anOrderWithoutFinalizeIsAProtocolErrorNamingTheField() {
        acme.stubResource(ORDER, "order-without-finalize.json");

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("'finalize'")
                .hasMessageContaining(acme.url(ORDER).toString());
    }

    @Test
    void anOrderWithoutIdentifiersIsAProtocolError() {
        acme.stubResource(ORDER, "order-without-identifiers.json");

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("identifiers");
    }

    @Test
    void anOrderWhoseStatusIsNotAStringIsAProtocolErrorNamingTheField() {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-pending.json").replace("\"status\": \"pending\"", "\"status\": 7"))));

        assertThatThrownBy(() -> account.fetchOrder(acme.url(ORDER)))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("'status'");
    }

    @Test
    void aNewOrderSendsTheIdentifiersAndValidityAndIsFoundAtItsLocation() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.json(201,
                acme.fixture("order-pending.json")).withHeader("Location", acme.base() + ORDER)));

        Order order = account.newOrder().domains("www.example.org", "EXAMPLE.org.")
                .notBefore(Instant.parse("2016-01-01T00:04:00Z")).notAfter(Instant.parse("2016-01-08T00:04:00Z"))
                .create();

        assertThat(order.url()).isEqualTo(acme.url(ORDER));
        assertThat(order.status()).isEqualTo(Status.PENDING);
        JsonNode payload = FakeAcmeServer.parse(SignedRequest.parse(acme.postBodies("/order-plz").get(0)).payload());
        assertThat(payload.get("identifiers")).hasSize(2);
        assertThat(payload.get("identifiers").get(0).get("type").asText()).isEqualTo("dns");
        assertThat(payload.get("identifiers").get(0).get("value").asText()).isEqualTo("www.example.org");
        assertThat(payload.get("identifiers").get(1).get("value").asText()).isEqualTo("example.org");
        assertThat(payload.get("notBefore").asText()).isEqualTo("2016-01-01T00:04:00Z");
        assertThat(payload.get("notAfter").asText()).isEqualTo("2016-01-08T00:04:00Z");
    }

    @Test
    void aNewOrderWithoutIdentifiersIsRefusedBeforeAnythingIsSent() {
        int before = acme.exchanges().size();

        assertThatThrownBy(() -> account.newOrder().create()).isInstanceOf(IllegalStateException.class);
        assertThat(acme.exchanges()).hasSize(before);
    }

    @Test
    void aNewOrderWithoutLocationIsAProtocolError() {
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz"))
                .willReturn(FakeAcmeServer.json(201, acme.fixture("order-pending.json"))));

        assertThatThrownBy(() -> account.newOrder().domains("www.example.org").create())
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("Location");
    }

    @Test
    void theAuthorizationsAreFetchedInTheOrdersOrder() throws Exception {
        acme.stubResource("/authZ/PAniVnsZcis", "authz-pending.json");
        acme.stubResource("/authZ/r4HqLzrSrpI", "authz-example-org-pending.json");
        Order order = fetch("order-pending.json");

        List<Authorization> authorizations = order.fetchAuthorizations();

        assertThat(authorizations).extracting(Authorization::url)
                .containsExactly(acme.url("/authZ/PAniVnsZcis"), acme.url("/authZ/r4HqLzrSrpI"));
        assertThat(authorizations).extracting(a -> a.identifier().value())
                .containsExactly("www.example.org", "example.org");
    }

    @Test
    void theRetryAfterOfTheResponseIsKeptWithTheSnapshot() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("order-processing.json")).withHeader("Retry-After", "30")));

        Order order = account.fetchOrder(acme.url(ORDER));

        assertThat(order.retryAfter()).contains(clock.now().plusSeconds(30));
    }

    @Test
    void finalizingSendsACsrForTheOrdersIdentifiersSignedByTheCertificateKey() throws Exception {
        acme.stubResource(FINALIZE, "order-processing.json");
        AcmeSigner certificateKey = TestKeys.EC_P384.signer();
        Order ready = fetch("order-ready.json");

        Order processing = ready.finalizeWith(certificateKey);

        assertThat(processing.status()).isEqualTo(Status.PROCESSING);
        assertThat(processing.url()).isEqualTo(ready.url());
        JsonNode payload = FakeAcmeServer.parse(SignedRequest.parse(acme.postBodies(FINALIZE).get(0)).payload());
        assertThat(payload.fieldNames()).toIterable().containsExactly("csr");
        assertThat(payload.get("csr").asText()).doesNotContain("=", "+", "/");
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(Base64Url.decode(payload.get("csr").asText()));
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(certificateKey.publicKey().getEncoded());
        assertThat(dnsNames(csr)).containsExactly("www.example.org", "example.org");
    }

    @Test
    void theAccountKeyCannotBeTheCertificateKey() throws Exception {
        Order ready = fetch("order-ready.json");

        assertThatThrownBy(() -> ready.finalizeWith(accountKey)).isInstanceOf(IllegalArgumentException.class);
        assertThat(acme.postBodies(FINALIZE)).isEmpty();
    }

    @Test
    void theCertificateChainOfAValidOrderIsDownloadedAsPem() throws Exception {
        AcmeSigner certificateKey = TestKeys.EC_P384.signer();
        List<X509Certificate> issued = TestCertificates.chain(certificateKey.publicKey(), "www.example.org",
                "example.org");
        stubCertificate(CERTIFICATE, TestCertificates.pem(issued));
        Order order = fetch("order-valid.json");

        CertificateChain chain = order.downloadCertificate();

        assertThat(chain.url()).isEqualTo(acme.url(CERTIFICATE));
        assertThat(chain.certificates()).containsExactlyElementsOf(issued);
        assertThat(chain.leaf()).isEqualTo(issued.get(0));
        assertThat(chain.issuers()).containsExactly(issued.get(1));
        assertThat(chain.alternateUrls()).isEmpty();
        assertThat(normalized(chain.leafPem())).isEqualTo(normalized(TestCertificates.pem(List.of(issued.get(0)))));
        assertThat(normalized(chain.pem())).isEqualTo(normalized(TestCertificates.pem(issued)));
        acme.wireMock().verify(postRequestedFor(urlEqualTo(CERTIFICATE))
                .withHeader("Accept", equalTo("application/pem-certificate-chain"))
                .withHeader("Content-Type", equalTo("application/jose+json")));
        assertThat(SignedRequest.parse(acme.postBodies(CERTIFICATE).get(0)).payload()).isEmpty();
    }

    @Test
    void alternateChainsAreDownloadedFromTheirLinks() throws Exception {
        AcmeSigner certificateKey = TestKeys.EC_P384.signer();
        List<X509Certificate> main = TestCertificates.chain(certificateKey.publicKey(), "www.example.org");
        List<X509Certificate> alternate = TestCertificates.chain(certificateKey.publicKey(), "www.example.org");
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain")
                .withHeader("Link", "<" + acme.directoryUrl() + ">;rel=\"index\"")
                .withHeader("Link", "<" + CERTIFICATE + "/1>;rel=\"alternate\"")
                .withBody(TestCertificates.pem(main))));
        stubCertificate(CERTIFICATE + "/1", TestCertificates.pem(alternate));
        Order order = fetch("order-valid.json");

        List<CertificateChain> chains = order.downloadCertificates();

        assertThat(chains).hasSize(2);
        assertThat(chains.get(0).alternateUrls()).containsExactly(acme.url(CERTIFICATE + "/1"));
        assertThat(chains.get(0).certificates()).containsExactlyElementsOf(main);
        assertThat(chains.get(1).url()).isEqualTo(acme.url(CERTIFICATE + "/1"));
        assertThat(chains.get(1).certificates()).containsExactlyElementsOf(alternate);
    }

    @Test
    void aCertificateForAnotherKeyThanTheCsrsIsRefused() throws Exception {
        AcmeSigner certificateKey = TestKeys.EC_P384.signer();
        AcmeSigner someoneElse = TestKeys.RSA_2048.signer();
        stubCertificate(CERTIFICATE, TestCertificates.pem(TestCertificates.chain(someoneElse.publicKey(),
                "www.example.org")));
        acme.stubResource(FINALIZE, "order-valid.json");
        Order valid = fetch("order-ready.json").finalizeWith(certificateKey);

        assertThatThrownBy(valid::downloadCertificate)
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("public key");
    }

    @Test
    void aBodyWithoutCertificatesIsAProtocolError() throws Exception {
        stubCertificate(CERTIFICATE, "<html>not a certificate</html>");
        Order order = fetch("order-valid.json");

        assertThatThrownBy(order::downloadCertificate)
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE).toString());
    }

    @Test
    void anOrderWithoutCertificateCannotBeDownloaded() throws Exception {
        Order order = fetch("order-processing.json");
        int before = acme.exchanges().size();

        assertThatThrownBy(order::downloadCertificate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("processing");
        assertThat(acme.exchanges()).hasSize(before);
    }

    private Order fetch(String fixture) throws AcmeException {
        acme.stubResource(ORDER, fixture);
        return account.fetchOrder(acme.url(ORDER));
    }

    private void stubCertificate(String path, String pem) {
        acme.wireMock().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pem-certificate-chain")
                .withBody(pem)));
    }

    private static String normalized(String pem) {
        return pem.replace("\r\n", "\n").trim();
    }

    private static List<String> dnsNames(PKCS10CertificationRequest csr) {
        Extensions extensions = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        return Arrays.stream(names.getNames()).filter(n -> n.getTagNo() == GeneralName.dNSName)
                .map(n -> n.getName().toString()).collect(Collectors.toList());
    }
}
