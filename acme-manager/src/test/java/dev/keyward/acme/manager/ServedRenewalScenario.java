package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.testkit.PebbleServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario each real server runs against Pebble: a server on Pebble's tls-alpn-01 port with the
 * manager's {@link SSLContext}; the manager issues two sets on start through tls-alpn-01 answered by
 * that same server; both are served by SNI; a forced renewal swaps one while a client keeps
 * connecting, verifying each handshake against Pebble's root: the client sees the new certificate
 * and no handshake fails.
 */
abstract class ServedRenewalScenario {
    @TempDir
    Path storageDirectory;

    /** Starts the server under test on 127.0.0.1:port, answering 200 to every request. */
    abstract AutoCloseable startServer(SSLContext context, int port) throws Exception;

    abstract PebbleServer pebble();

    CertificateManager manager(RecordingListener events) throws Exception {
        AcmeCa ca = AcmeCa.builder(pebble().directoryUri()).trustAnchors(pebble().trustAnchors())
                .agreeToTermsOfService().contact("mailto:ops@example.test").deactivateAuthorizations(true).build();
        return CertificateManager.builder()
                .storage(CertificateStorage.files(storageDirectory))
                .add(CertificateSet.builder("www").domains("www.example.test").ca(ca).tlsAlpn01().build())
                .add(CertificateSet.builder("api").domains("api.example.test").ca(ca).tlsAlpn01().build())
                .eventListener(events)
                .build();
    }

    @Test
    void issuesTwoSetsOnStartServesThemBySniAndSwapsOneWhileAClientKeepsConnecting() throws Exception {
        RecordingListener events = new RecordingListener();
        int port = pebble().tlsAlpnPort();
        try (CertificateManager manager = manager(events);
             AutoCloseable server = startServer(manager.sslContext(), port)) {
            manager.start();

            assertThat(events.named("succeeded")).containsExactly("succeeded www", "succeeded api");
            javax.net.ssl.TrustManager[] client = clientContext(pebble().rootCertificates());
            assertThat(get(client, port, "www.example.test").getSubjectAlternativeNames())
                    .containsExactly(List.of(2, "www.example.test"));
            assertThat(get(client, port, "api.example.test").getSubjectAlternativeNames())
                    .containsExactly(List.of(2, "api.example.test"));

            BigInteger before = manager.certificate("www").orElseThrow().leaf().getSerialNumber();
            Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger handshakes = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            AtomicReference<Exception> firstFailure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warmedUp = new CountDownLatch(3);
            AtomicReference<BigInteger> renewed = new AtomicReference<>();
            CountDownLatch newSeen = new CountDownLatch(1);
            Thread clientThread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        BigInteger serial = get(client, port, "www.example.test").getSerialNumber();
                        seen.add(serial);
                        handshakes.incrementAndGet();
                        warmedUp.countDown();
                        if (serial.equals(renewed.get())) {
                            newSeen.countDown();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
            }, "tls-client");
            clientThread.start();
            try {
                assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
                ManagedCertificate next = manager.renewNow("www");
                renewed.set(next.leaf().getSerialNumber());
                assertThat(newSeen.await(60, TimeUnit.SECONDS)).as("the client sees the new certificate").isTrue();
                int atSwap = handshakes.get();
                assertThat(atSwap).isGreaterThan(3);
            } finally {
                stop.set(true);
                clientThread.join(30_000);
            }
            assertThat(failures.get()).as("failed handshakes, first: %s", firstFailure.get()).isZero();
            assertThat(seen).contains(before, renewed.get());
            assertThat(events.named("replaced www")).hasSize(2);
            assertThat(get(client, port, "api.example.test").getSubjectAlternativeNames())
                    .as("the other set is untouched").containsExactly(List.of(2, "api.example.test"));
        }
    }

    /**
     * A client context source: a new context per connection, so no TLS session is resumed (a
     * resumed session would report the certificate of the session it resumes).
     */
    static javax.net.ssl.TrustManager[] clientContext(List<X509Certificate> roots) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < roots.size(); i++) {
            trust.setCertificateEntry("root" + i, roots.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    /**
     * One HTTPS request on a new connection to 127.0.0.1:port with SNI {@code host}, the chain
     * verified against the roots and the name checked; returns the server's leaf certificate.
     */
    static X509Certificate get(javax.net.ssl.TrustManager[] trust, int port, String host) throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust, null);
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, host, port, true)) {
            socket.setSoTimeout(30_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
            return leaf;
        }
    }
}
