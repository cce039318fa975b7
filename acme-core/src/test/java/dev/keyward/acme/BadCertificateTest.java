package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A certificate chain (RFC 8555 section 7.4.2, {@code application/pem-certificate-chain}) that is
 * empty, not PEM, PEM with a broken body, or for another key than the CSR's is refused with an
 * {@link AcmeProtocolException} naming the certificate URL and what is wrong. (A body of HTML and
 * a default chain for another key are in {@link OrderTest}.)
 */
class BadCertificateTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String FINALIZE = "/finalize-order/TOlocE8rfgo";
    private static final String CERTIFICATE = "/certZ/mAt3xBGaobw";

    private final AcmeSigner certificateKey = TestKeys.EC_P384.signer();
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(new FakeClock()), TestKeys.EC_P256.signer());
    }

    @Test
    void anEmptyChainIsRefused() throws Exception {
        serveChain("");

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE).toString())
                .hasMessageContaining("no PEM certificate");
    }

    @Test
    void aPemPrivateKeyInsteadOfACertificateIsRefused() throws Exception {
        serveChain("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+Zh0aTzCcTqZ4+xFEQ3jEpN0c8nGyOr5z6bwdnXKHX\n"
                + "-----END PRIVATE KEY-----\n");

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("no PEM certificate");
    }

    @Test
    void aPemBlockWhoseBodyIsNotBase64IsRefusedNamingTheCertificate() throws Exception {
        serveChain("-----BEGIN CERTIFICATE-----\nMIIB!!not*base64%%\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE).toString())
                .hasMessageContaining("certificate 1 is malformed");
    }

    @Test
    void aPemBlockWhoseBase64IsNoCertificateIsRefused() throws Exception {
        String notDer = Base64.getMimeEncoder().encodeToString("a certificate would be DER, not text".getBytes());
        serveChain("-----BEGIN CERTIFICATE-----\n" + notDer + "\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("certificate 1 is malformed");
    }

    @Test
    void aTruncatedCertificateIsRefused() throws Exception {
        String pem = TestCertificates.pem(TestCertificates.chain(certificateKey.publicKey(), "www.example.org"));
        String leafOnly = pem.substring(0, pem.indexOf("-----END CERTIFICATE-----"));
        String cut = leafOnly.substring(0, leafOnly.length() - 120) + "\n-----END CERTIFICATE-----\n";
        serveChain(cut);

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("certificate 1 is malformed");
    }

    @Test
    void aBrokenIssuerAfterAGoodLeafIsRefusedNamingItsPosition() throws Exception {
        List<X509Certificate> chain = TestCertificates.chain(certificateKey.publicKey(), "www.example.org");
        serveChain(TestCertificates.pem(List.of(chain.get(0)))
                + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("certificate 2 is malformed");
    }

    @Test
    void aBeginLineWithoutEndLineIsRefused() throws Exception {
        String pem = TestCertificates.pem(TestCertificates.chain(certificateKey.publicKey(), "www.example.org"));
        serveChain(pem.substring(0, pem.lastIndexOf("-----END CERTIFICATE-----")));

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("without an END line");
    }

    @Test
    void aProblemDocumentAnsweredWithStatus200IsRefused() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("problem-malformed.json"))));

        assertThatThrownBy(validOrder()::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining("no PEM certificate");
    }

    @Test
    void aLeafForAnotherKeyThanThatOfACallersCsrIsRefused() throws Exception {
        serveChain(TestCertificates.pem(TestCertificates.chain(TestKeys.RSA_2048.keyPair().getPublic(),
                "www.example.org")));
        acme.stubResource(FINALIZE, "order-valid.json");
        Csr csr = Csr.builder().domains("www.example.org", "example.org").build(certificateKey);

        Order valid = readyOrder().finalizeWith(csr);

        assertThatThrownBy(valid::downloadCertificate)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE).toString())
                .hasMessageContaining("public key");
    }

    @Test
    void anAlternateChainWhoseLeafIsForAnotherKeyIsRefused() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(chain(TestCertificates.pem(
                TestCertificates.chain(certificateKey.publicKey(), "www.example.org")))
                .withHeader("Link", "<" + CERTIFICATE + "/1>;rel=\"alternate\"")));
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE + "/1")).willReturn(chain(TestCertificates.pem(
                TestCertificates.chain(TestKeys.RSA_2048.keyPair().getPublic(), "www.example.org")))));
        acme.stubResource(FINALIZE, "order-valid.json");

        Order valid = readyOrder().finalizeWith(certificateKey);

        assertThatThrownBy(valid::downloadCertificates)
                .isExactlyInstanceOf(AcmeProtocolException.class)
                .hasMessageContaining(acme.url(CERTIFICATE + "/1").toString())
                .hasMessageContaining("public key");
    }

    /**
     * A {@code Link} to an alternate chain that is not an http(s) URL cannot be downloaded; like
     * any other malformed link it is left out, and never reaches the HTTP library.
     */
    @Test
    void anAlternateChainLinkThatIsNotAnHttpUrlIsLeftOut() throws Exception {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(chain(TestCertificates.pem(
                TestCertificates.chain(certificateKey.publicKey(), "www.example.org")))
                .withHeader("Link", "<ftp://127.0.0.1/certZ/alternate>;rel=\"alternate\"")));

        List<CertificateChain> chains = validOrder().downloadCertificates();

        assertThat(chains).singleElement().satisfies(c -> assertThat(c.alternateUrls()).isEmpty());
    }

    @Test
    void malformedLinkHeadersOnAGoodChainAreIgnored() throws Exception {
        List<X509Certificate> issued = TestCertificates.chain(certificateKey.publicKey(), "www.example.org");
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(chain(TestCertificates.pem(issued))
                .withHeader("Link", "<<>>;rel=alternate, <no closing bracket;rel=\"alternate\"")
                .withHeader("Link", "garbage;;;rel=")));

        CertificateChain downloaded = validOrder().downloadCertificate();

        assertThat(downloaded.certificates()).containsExactlyElementsOf(issued);
        assertThat(downloaded.alternateUrls()).isEmpty();
    }

    private Order validOrder() throws AcmeException {
        acme.stubResource(ORDER, "order-valid.json");
        return account.fetchOrder(acme.url(ORDER));
    }

    private Order readyOrder() throws AcmeException {
        acme.stubResource(ORDER, "order-ready.json");
        return account.fetchOrder(acme.url(ORDER));
    }

    private void serveChain(String body) {
        acme.wireMock().stubFor(post(urlEqualTo(CERTIFICATE)).willReturn(chain(body)));
    }

    private static ResponseDefinitionBuilder chain(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/pem-certificate-chain")
                .withBody(body);
    }
}
