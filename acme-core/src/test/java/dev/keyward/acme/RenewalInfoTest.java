package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACME Renewal Information (RFC 9773): certificate identifiers, windows, {@code replaces}. */
class RenewalInfoTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    /** The example of RFC 9773 section 4.1. */
    static final byte[] RFC_KEY_ID = hex("69885B6B87464041E1B37B847BA0AE2CDE01C8D4");
    static final BigInteger RFC_SERIAL = new BigInteger("0087654321", 16);
    private static final String RFC_ID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
    static final String RENEWAL_INFO = "/draft-ietf-acme-ari-03/renewalInfo/" + RFC_ID;

    private final FakeClock clock = new FakeClock();
    private AcmeClient client;

    @BeforeEach
    void connect() {
        acme.stubBasics();
        client = acme.client(clock);
    }

    @Test
    void theCertificateIdIsTheKeyIdentifierAndTheSerialAsInTheRfcExample() throws Exception {
        assertThat(RenewalInfo.certificateId(certificate(RFC_KEY_ID, RFC_SERIAL))).isEqualTo(RFC_ID);
    }

    @Test
    void aCertificateWithoutAuthorityKeyIdentifierHasNoId() throws Exception {
        assertThatThrownBy(() -> RenewalInfo.certificateId(certificate(null, RFC_SERIAL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authority Key Identifier");
    }

    @Test
    void theWindowTheExplanationAndRetryAfterAreReadFromAnUnauthenticatedGet() throws Exception {
        acme.wireMock().stubFor(get(urlEqualTo(RENEWAL_INFO)).willReturn(FakeAcmeServer.json(200,
                "{\"suggestedWindow\":{\"start\":\"2025-03-10T00:00:00Z\",\"end\":\"2025-03-12T00:00:00Z\"},"
                        + "\"explanationURL\":\"https://ca.example/incident\"}").withHeader("Retry-After", "21600")));

        RenewalInfo info = client.fetchRenewalInfo(certificate(RFC_KEY_ID, RFC_SERIAL));

        assertThat(info.windowStart()).isEqualTo(Instant.parse("2025-03-10T00:00:00Z"));
        assertThat(info.windowEnd()).isEqualTo(Instant.parse("2025-03-12T00:00:00Z"));
        assertThat(info.explanationUrl()).contains(URI.create("https://ca.example/incident"));
        assertThat(info.retryAfter()).contains(clock.now().plusSeconds(21600));
        assertThat(info.nextCheck(clock.now())).isEqualTo(clock.now().plusSeconds(21600));
        acme.wireMock().verify(1, getRequestedFor(urlEqualTo(RENEWAL_INFO)));
    }

    @Test
    void theRenewalTimeIsUniformWithinTheWindowPartThatIsNotPastAndNowWhenAllOfItIsPast() throws Exception {
        RenewalInfo info = window("2025-03-10T00:00:00Z", "2025-03-12T00:00:00Z");
        Random random = new Random(7);
        Instant before = Instant.parse("2025-03-01T00:00:00Z");
        Instant inside = Instant.parse("2025-03-11T00:00:00Z");
        Instant after = Instant.parse("2025-03-13T00:00:00Z");

        for (int i = 0; i < 1000; i++) {
            assertThat(info.chooseRenewalTime(before, random)).isBetween(info.windowStart(), info.windowEnd());
            assertThat(info.chooseRenewalTime(inside, random)).isBetween(inside, info.windowEnd());
        }
        assertThat(info.chooseRenewalTime(after, random)).isEqualTo(after);
        assertThat(info.isRenewalDue(before)).isFalse();
        assertThat(info.isRenewalDue(inside)).isTrue();
        long firstHalf = 0;
        for (int i = 0; i < 2000; i++) {
            if (info.chooseRenewalTime(before, random).isBefore(Instant.parse("2025-03-11T00:00:00Z"))) {
                firstHalf++;
            }
        }
        assertThat(firstHalf).as("uniform: about half in each half").isBetween(850L, 1150L);
    }

    @Test
    void aWindowWhoseEndIsNotAfterItsStartIsAProtocolError() {
        acme.wireMock().stubFor(get(urlEqualTo(RENEWAL_INFO)).willReturn(FakeAcmeServer.json(200,
                "{\"suggestedWindow\":{\"start\":\"2025-03-12T00:00:00Z\",\"end\":\"2025-03-10T00:00:00Z\"}}")));

        assertThatThrownBy(() -> client.fetchRenewalInfo(certificate(RFC_KEY_ID, RFC_SERIAL)))
                .isInstanceOf(AcmeProtocolException.class).hasMessageContaining("not after its start");
    }

    @Test
    void aCaWithoutRenewalInfoSaysSoWithATypedException() throws Exception {
        acme.stubDirectory("directory-without-meta.json");

        assertThatThrownBy(() -> client.fetchRenewalInfo(certificate(RFC_KEY_ID, RFC_SERIAL)))
                .isInstanceOf(AcmeNotSupportedException.class).hasMessageContaining("renewalInfo");
    }

    @Test
    void anOrderThatReplacesACertificateTheCaReplacedAlreadyIsSentAgainWithoutReplaces() throws Exception {
        Account account = acme.account(client, TestKeys.EC_P256.signer());
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("replaces").whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(409, "{\"type\":\"urn:ietf:params:acme:error:alreadyReplaced\","
                        + "\"detail\":\"already replaced\",\"status\":409}")).willSetStateTo("refused"));
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("replaces").whenScenarioStateIs("refused")
                .willReturn(FakeAcmeServer.json(201, acme.fixture("order-invalid.json"))
                        .withHeader("Location", acme.base() + "/my-order/TOlocE8rfgo")));

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org")
                .certificateKey(TestKeys.EC_P384.signer()).replaces(certificate(RFC_KEY_ID, RFC_SERIAL)).build()))
                .as("the fixture's order is invalid: the flow got as far as a second newOrder")
                .isInstanceOf(AcmeServerException.class);

        List<String> orders = acme.postBodies("/order-plz");
        assertThat(orders).hasSize(2);
        assertThat(SignedRequest.parse(orders.get(0)).payload()).contains("\"replaces\":\"" + RFC_ID + "\"");
        assertThat(SignedRequest.parse(orders.get(1)).payload()).doesNotContain("replaces");
    }

    @Test
    void anOrderWithReplacesThatTheCaCannotMatchIsSentAgainWithoutReplacesAtOnce() throws Exception {
        Account account = acme.account(client, TestKeys.EC_P256.signer());
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("race").whenScenarioStateIs(STARTED)
                .willReturn(FakeAcmeServer.problem(500, "{\"type\":\"urn:ietf:params:acme:error:serverInternal\","
                        + "\"detail\":\"could not find an order for the given certificate\",\"status\":500}"))
                .willSetStateTo("refused"));
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).inScenario("race").whenScenarioStateIs("refused")
                .willReturn(FakeAcmeServer.json(201, acme.fixture("order-invalid.json"))
                        .withHeader("Location", acme.base() + "/my-order/TOlocE8rfgo")));

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("www.example.org")
                .certificateKey(TestKeys.EC_P384.signer()).replaces(certificate(RFC_KEY_ID, RFC_SERIAL)).build()))
                .isInstanceOf(AcmeServerException.class);

        List<String> orders = acme.postBodies("/order-plz");
        assertThat(orders).hasSize(2);
        assertThat(SignedRequest.parse(orders.get(1)).payload()).doesNotContain("replaces");
        assertThat(clock.sleeps()).as("no step retries of the refused order").isEmpty();
    }

    private RenewalInfo window(String start, String end) throws Exception {
        acme.wireMock().stubFor(get(urlEqualTo(RENEWAL_INFO)).willReturn(FakeAcmeServer.json(200,
                "{\"suggestedWindow\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}")));
        return client.fetchRenewalInfo(certificate(RFC_KEY_ID, RFC_SERIAL));
    }

    static X509Certificate certificate(byte[] keyId, BigInteger serial) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=issuer"), serial,
                Date.from(now), Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=leaf"), pair.getPublic());
        if (keyId != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static byte[] hex(String text) {
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
