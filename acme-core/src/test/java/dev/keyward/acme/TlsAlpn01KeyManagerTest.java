package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.SocketException;
import java.security.KeyPair;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tls-alpn-01 key manager wired into a running JDK {@code HttpsServer} (RFC 8737 section 3):
 * a JDK {@code SSLSocket} offering ALPN {@code acme-tls/1} gets the validation certificate of its
 * SNI name; every other handshake on the same port gets the server's normal certificate.
 */
class TlsAlpn01KeyManagerTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NAME = "www.example.org";

    private NormalTlsServer server;
    private X509Certificate validation;

    @BeforeEach
    void start() throws Exception {
        server = NormalTlsServer.start(0);
        KeyPair keys = TestKeys.ec("secp256r1");
        validation = TlsAlpn01Certificates.create(Identifier.dns(NAME), "token.thumbprint",
                Signers.jca(keys.getPrivate(), keys.getPublic()));
        server.keyManager().put(Identifier.dns(NAME), validation, keys.getPrivate());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientOfferingAcmeTls1GetsTheValidationCertificateOfItsServerName() throws Exception {
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, null, "acme-tls/1");

        assertThat(result.applicationProtocol).isEqualTo("acme-tls/1");
        assertThat(result.certificate).isEqualTo(validation);
        assertThat(result.tlsVersion).isEqualTo("TLSv1.3");
    }

    @Test
    void aClientOfferingHttp11GetsTheNormalCertificateFromTheSamePort() throws Exception {
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, null, "http/1.1");

        assertThat(result.certificate).isEqualTo(server.certificate());
        assertThat(result.applicationProtocol).isNotEqualTo("acme-tls/1");
    }

    @Test
    void aBrowserLikeClientOfferingH2AndHttp11GetsTheNormalCertificate() throws Exception {
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, null, "h2", "http/1.1");

        assertThat(result.certificate).isEqualTo(server.certificate());
    }

    @Test
    void aClientOfferingNoAlpnGetsTheNormalCertificate() throws Exception {
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, null);

        assertThat(result.certificate).isEqualTo(server.certificate());
        assertThat(result.applicationProtocol).isEmpty();
    }

    @Test
    void theServerKeepsAnsweringHttpsWhileAValidationCertificateIsDeployed() throws Exception {
        javax.net.ssl.SSLContext client = server.clientContext();

        for (int i = 0; i < 3; i++) {
            assertThat(server.get(client)).isEqualTo("200 " + NormalTlsServer.BODY);
            assertThat(TlsProbe.handshake(server.port(), NAME, null, "acme-tls/1").certificate).isEqualTo(validation);
        }
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void anIpIdentifiersCertificateIsChosenByTheReverseDnsNameTheValidatorSends() throws Exception {
        KeyPair keys = TestKeys.ec("secp256r1");
        X509Certificate forIp = TlsAlpn01Certificates.create(Identifier.ip("127.0.0.1"), "token.thumbprint",
                Signers.jca(keys.getPrivate(), keys.getPublic()));
        server.keyManager().put(Identifier.ip("127.0.0.1"), forIp, keys.getPrivate());

        TlsProbe.Result result = TlsProbe.handshake(server.port(), "1.0.0.127.in-addr.arpa", null, "acme-tls/1");

        assertThat(result.certificate).isEqualTo(forIp);
        assertThat(result.certificate.getSubjectAlternativeNames()).containsExactly(java.util.List.of(7, "127.0.0.1"));
    }

    @Test
    void aValidationHandshakeForANameWithoutCertificateFails() {
        // the JDK HttpsServer drops the connection; the client sees an alert or a reset
        assertThatThrownBy(() -> TlsProbe.handshake(server.port(), "other.example.org", null, "acme-tls/1"))
                .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
    }

    @Test
    void afterRemovalTheNameGetsNoValidationCertificate() throws Exception {
        server.keyManager().remove(Identifier.dns(NAME));

        assertThat(server.keyManager().size()).isZero();
        assertThatThrownBy(() -> TlsProbe.handshake(server.port(), NAME, null, "acme-tls/1"))
                .isInstanceOfAny(SSLHandshakeException.class, SocketException.class);
        assertThat(TlsProbe.handshake(server.port(), NAME, null, "http/1.1").certificate).isEqualTo(server.certificate());
    }

    @Test
    void underTls12TheJdkPicksTheCertificateBeforeAlpnSoAWrappingKeyManagerServesTheNormalOne() throws Exception {
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, "TLSv1.2", "acme-tls/1");

        assertThat(result.applicationProtocol).isEqualTo("acme-tls/1");
        assertThat(result.certificate).isEqualTo(server.certificate());
    }

    @Test
    void asTheFlowsSolverItServesTheChallengesCertificateAndCountsTheValidatorsHandshakeAsItsLook() throws Exception {
        TlsAlpn01KeyManager solver = server.keyManager();
        solver.remove(Identifier.dns(NAME));
        TlsAlpn01Challenge challenge = pendingChallenge();
        assertThat(solver.challengeTypes()).containsExactly("tls-alpn-01");

        solver.deploy(challenge);
        assertThat(solver.awaitValidation(challenge, Duration.ZERO)).isFalse();
        TlsProbe.Result result = TlsProbe.handshake(server.port(), NAME, null, "acme-tls/1");

        assertThat(result.certificate.getExtensionValue(TlsAlpn01Certificates.ACME_IDENTIFIER_OID))
                .endsWith(challenge.acmeValidationDigest());
        assertThat(solver.awaitValidation(challenge, Duration.ofSeconds(10))).isTrue();
        solver.remove(challenge);
        assertThat(solver.size()).isZero();
    }

    @Test
    void aSocketServerWithTheSelectorInstalledAnswersWithTheCallersValidationKey() throws Exception {
        KeyPair keys = TestKeys.ec("secp384r1");
        AtomicInteger signatures = new AtomicInteger();
        AcmeSigner jca = Signers.jca(keys.getPrivate(), keys.getPublic());
        AcmeSigner counting = new AcmeSigner() {
            @Override
            public SignatureAlgorithm algorithm() {
                return jca.algorithm();
            }

            @Override
            public java.security.PublicKey publicKey() {
                return jca.publicKey();
            }

            @Override
            public byte[] sign(byte[] data) throws AcmeSigningException {
                signatures.incrementAndGet();
                return jca.sign(data);
            }
        };
        TlsAlpn01KeyManager solver = TlsAlpn01KeyManager.builder().validationKey(keys.getPrivate(), counting).build();
        solver.deploy(pendingChallenge());
        assertThat(signatures.get()).isEqualTo(1);

        try (SSLServerSocket listener = (SSLServerSocket) solver.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<Exception> serverFailure = new AtomicReference<>();
            Thread acceptor = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    TlsAlpn01KeyManager.installAlpnSelector(accepted);
                    accepted.startHandshake();
                } catch (Exception e) {
                    serverFailure.set(e);
                }
            });
            acceptor.start();

            TlsProbe.Result result = TlsProbe.handshake(listener.getLocalPort(), NAME, null, "acme-tls/1");
            acceptor.join(10_000);

            assertThat(result.applicationProtocol).isEqualTo("acme-tls/1");
            assertThat(result.certificate.getPublicKey()).isEqualTo(keys.getPublic());
            assertThat(serverFailure.get()).isNull();
        }
    }

    private static TlsAlpn01Challenge pendingChallenge() throws Exception {
        acme.stubBasics();
        acme.stubResource("/authZ/PAniVnsZcis", "authz-pending.json");
        return acme.account(acme.client(), TestKeys.EC_P256.signer()).fetchAuthorization(acme.url("/authZ/PAniVnsZcis"))
                .challenge(TlsAlpn01Challenge.class).orElseThrow();
    }
}
