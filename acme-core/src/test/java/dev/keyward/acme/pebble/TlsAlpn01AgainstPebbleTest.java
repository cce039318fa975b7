package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.NormalTlsServer;
import dev.keyward.acme.TlsAlpn01Server;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * tls-alpn-01 (RFC 8737) and IP identifiers (RFC 8738) validated by Pebble's VA, through the
 * one-call issuance flow: the embedded responder, a running JDK {@code HttpsServer} with the
 * tls-alpn-01 key manager wired in, and {@code 127.0.0.1} over http-01 and tls-alpn-01.
 */
class TlsAlpn01AgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private AcmeClient client;
    private Account account;

    @BeforeEach
    void register() throws Exception {
        client = AcmeClient.builder(pebble.server().directoryUri()).trustAnchors(pebble.server().trustAnchors()).build();
        account = client.newAccount(TestKeys.ecP256()).agreeToTermsOfService().create();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void aDnsNameIsCertifiedThroughTheEmbeddedTlsAlpn01Responder() throws Exception {
        String name = PebbleFlow.uniqueName("alpn");
        AcmeSigner certificateKey = TestKeys.ecP256();
        long logLinesBefore = logLines().size();

        try (TlsAlpn01Server responder = TlsAlpn01Server.start(new InetSocketAddress(LOOPBACK, pebble.server().tlsAlpnPort()))) {
            long start = System.nanoTime();
            CertificateChain chain = account.issue(IssuanceRequest.builder().domains(name).certificateKey(certificateKey)
                    .solvers(responder).build()).chain();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(sans(chain.leaf())).containsExactly(List.of(2, name));
            assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
            assertThat(responder.completedValidations()).isPositive();
            assertThat(responder.servedCertificates()).isZero();
            List<String> log = logLines();
            System.out.println("FIGURE tls-alpn-01 issuance of one name: " + millis + " ms wall time, "
                    + responder.completedValidations() + " validation handshakes; pebble.log lines during it:");
            log.subList((int) logLinesBefore, log.size()).forEach(line -> System.out.println("  " + line));
        }
    }

    @Test
    void anIpAddressIsCertifiedOverHttp01() throws Exception {
        try (Http01Server http = Http01Server.start(new InetSocketAddress(LOOPBACK, pebble.server().http01Port()))) {
            CertificateChain chain = account.issue(IssuanceRequest.builder()
                    .identifiers(List.of(Identifier.ip("127.0.0.1"))).certificateKey(TestKeys.ecP256())
                    .solvers(http).build()).chain();

            assertThat(sans(chain.leaf())).containsExactly(List.of(7, "127.0.0.1"));
            assertThat(http.servedTokens()).isZero();
        }
    }

    @Test
    void anIpAddressIsCertifiedOverTlsAlpn01() throws Exception {
        try (TlsAlpn01Server responder = TlsAlpn01Server.start(new InetSocketAddress(LOOPBACK, pebble.server().tlsAlpnPort()))) {
            CertificateChain chain = account.issue(IssuanceRequest.builder()
                    .identifiers(List.of(Identifier.ip("127.0.0.1"))).certificateKey(TestKeys.ecP256())
                    .solvers(responder).build()).chain();

            assertThat(sans(chain.leaf())).containsExactly(List.of(7, "127.0.0.1"));
            assertThat(responder.completedValidations()).isPositive();
        }
    }

    @Test
    void aRunningHttpsServerKeepsServingWhilePebbleValidatesThroughItsKeyManager() throws Exception {
        String name = PebbleFlow.uniqueName("alpn-live");
        try (NormalTlsServer server = NormalTlsServer.start(pebble.server().tlsAlpnPort())) {
            SSLContext trustsServer = server.clientContext();
            AtomicBoolean issuing = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch firstAnswer = new CountDownLatch(1);
            Thread visitor = new Thread(() -> {
                while (issuing.get()) {
                    try {
                        String answer = server.get(trustsServer);
                        if (answer.equals("200 " + NormalTlsServer.BODY)) {
                            ok.incrementAndGet();
                            firstAnswer.countDown();
                        } else {
                            failure.compareAndSet(null, answer);
                        }
                    } catch (IOException e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            }, "normal-https-visitor");
            visitor.start();
            assertThat(firstAnswer.await(30, TimeUnit.SECONDS)).isTrue();
            List<String> whileDeployed = new ArrayList<>();
            IssuanceListener probe = new IssuanceListener() {
                @Override
                public void challengeDeployed(Challenge challenge, ChallengeSolver solver) {
                    try {
                        whileDeployed.add(server.get(trustsServer));
                        whileDeployed.add(String.valueOf(server.keyManager().size()));
                    } catch (IOException e) {
                        whileDeployed.add(e.toString());
                    }
                }
            };

            CertificateChain chain;
            int okBefore = ok.get();
            try {
                chain = account.issue(IssuanceRequest.builder().domains(name).certificateKey(TestKeys.ecP256())
                        .solvers(server.keyManager()).listener(probe).build()).chain();
            } finally {
                issuing.set(false);
                visitor.join(TimeUnit.SECONDS.toMillis(30));
            }

            assertThat(sans(chain.leaf())).containsExactly(List.of(2, name));
            assertThat(whileDeployed).containsExactly("200 " + NormalTlsServer.BODY, "1");
            assertThat(failure.get()).isNull();
            assertThat(ok.get()).isGreaterThan(okBefore);
            assertThat(server.keyManager().size()).isZero();
            assertThat(server.get(trustsServer)).isEqualTo("200 " + NormalTlsServer.BODY);
        }
    }

    private static List<List<?>> sans(X509Certificate leaf) throws Exception {
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        return names == null ? List.of() : new ArrayList<>(names);
    }

    private static List<String> logLines() throws IOException {
        Path log = pebble.server().workDirectory().resolve("pebble.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
