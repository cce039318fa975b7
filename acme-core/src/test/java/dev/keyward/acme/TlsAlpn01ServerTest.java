package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded tls-alpn-01 responder (RFC 8737) as the flow's solver, probed by a JDK
 * {@code SSLSocket} that offers {@code acme-tls/1} as a validator does.
 */
class TlsAlpn01ServerTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    private TlsAlpn01Server server;

    @BeforeEach
    void start() throws Exception {
        server = TlsAlpn01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aDeployedChallengeIsAnsweredWithItsValidationCertificateAndTheLookIsSignalled() throws Exception {
        TlsAlpn01Challenge challenge = challenge("\"type\": \"dns\"", "\"value\": \"www.example.org\"");
        assertThat(server.challengeTypes()).containsExactly("tls-alpn-01");
        server.deploy(challenge);
        assertThat(server.awaitValidation(challenge, Duration.ZERO)).isFalse();

        TlsProbe.Result result = TlsProbe.handshake(server.port(), "www.example.org", null, "acme-tls/1");

        assertThat(result.applicationProtocol).isEqualTo("acme-tls/1");
        assertThat(result.certificate.getSubjectAlternativeNames()).containsExactly(java.util.List.of(2, "www.example.org"));
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(challenge.keyAuthorization().getBytes(StandardCharsets.US_ASCII));
        assertThat(result.certificate.getExtensionValue(TlsAlpn01Certificates.ACME_IDENTIFIER_OID)).endsWith(digest);
        assertThat(challenge.acmeValidationDigest()).isEqualTo(digest);
        assertThat(server.awaitValidation(challenge, Duration.ofSeconds(10))).isTrue();
        assertThat(server.completedValidations()).isEqualTo(1);

        server.remove(challenge);

        assertThat(server.servedCertificates()).isZero();
        assertThatThrownBy(() -> TlsProbe.handshake(server.port(), "www.example.org", null, "acme-tls/1"))
                .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
    }

    @Test
    void anIpChallengeIsAnsweredForTheReverseDnsNameWithAnIpAddressSan() throws Exception {
        TlsAlpn01Challenge challenge = challenge("\"type\": \"ip\"", "\"value\": \"127.0.0.1\"");
        assertThat(challenge.serverName()).isEqualTo("1.0.0.127.in-addr.arpa");
        server.deploy(challenge);

        TlsProbe.Result result = TlsProbe.handshake(server.port(), "1.0.0.127.in-addr.arpa", null, "acme-tls/1");

        assertThat(result.certificate.getSubjectAlternativeNames()).containsExactly(java.util.List.of(7, "127.0.0.1"));
        assertThat(server.awaitValidation(challenge, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aTls12ValidationIsAnsweredToo() throws Exception {
        TlsAlpn01Challenge challenge = challenge("\"type\": \"dns\"", "\"value\": \"www.example.org\"");
        server.deploy(challenge);

        TlsProbe.Result result = TlsProbe.handshake(server.port(), "www.example.org", "TLSv1.2", "acme-tls/1");

        assertThat(result.tlsVersion).isEqualTo("TLSv1.2");
        assertThat(result.applicationProtocol).isEqualTo("acme-tls/1");
        assertThat(result.certificate.getSubjectAlternativeNames()).containsExactly(java.util.List.of(2, "www.example.org"));
    }

    @Test
    void aHandshakeThatDoesNotOfferAcmeTls1IsRefused() throws Exception {
        server.deploy(challenge("\"type\": \"dns\"", "\"value\": \"www.example.org\""));

        for (String tls : new String[] {"TLSv1.2", "TLSv1.3"}) {
            assertThatThrownBy(() -> TlsProbe.handshake(server.port(), "www.example.org", tls, "http/1.1"))
                    .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
            assertThatThrownBy(() -> TlsProbe.handshake(server.port(), "www.example.org", tls))
                    .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
        }
        assertThat(server.completedValidations()).isZero();
    }

    @Test
    void aWildcardAuthorizationCannotBeSolved() throws Exception {
        acme.stubBasics();
        acme.stubResource(AUTHZ, "authz-wildcard.json");
        Authorization wildcard = acme.account(acme.client(), TestKeys.EC_P256.signer()).fetchAuthorization(acme.url(AUTHZ));

        assertThat(server.canSolve(wildcard)).isFalse();
    }

    @Test
    void anotherChallengeTypeIsRefused() throws Exception {
        acme.stubBasics();
        acme.stubResource(AUTHZ, "authz-pending.json");
        Http01Challenge http = acme.account(acme.client(), TestKeys.EC_P256.signer()).fetchAuthorization(acme.url(AUTHZ))
                .challenge(Http01Challenge.class).orElseThrow();

        assertThatThrownBy(() -> server.deploy(http)).isInstanceOf(AcmeSolverException.class);
    }

    @Test
    void aTakenPortIsReportedAsASolverFailure() {
        assertThatThrownBy(() -> TlsAlpn01Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())))
                .isInstanceOf(AcmeSolverException.class).hasMessageContaining(String.valueOf(server.port()));
    }

    /** The tls-alpn-01 challenge of {@code authz-pending.json}, for another identifier if asked. */
    private static TlsAlpn01Challenge challenge(String type, String value) throws Exception {
        acme.stubBasics();
        String body = acme.fixture("authz-pending.json").replace("\"type\": \"dns\"", type)
                .replace("\"value\": \"www.example.org\"", value);
        acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200, body)));
        Authorization authorization = acme.account(acme.client(), TestKeys.EC_P256.signer())
                .fetchAuthorization(acme.url(AUTHZ));
        return authorization.challenge(TlsAlpn01Challenge.class).orElseThrow();
    }
}
