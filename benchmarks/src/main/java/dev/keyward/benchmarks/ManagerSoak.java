package dev.keyward.benchmarks;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.RenewalInfo;
import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.CertificateSet;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.ManagedCertificate;
import dev.keyward.acme.testkit.PebbleProfile;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Soak of the certificate manager against Pebble 2.10 with a profile of 600-second certificates and
 * ARI (RFC 9773): one manager keeps 10 sets for the given number of minutes while a TLS client
 * connects continuously through the manager's {@code SSLContext} served by the JDK
 * {@code HttpsServer}, verifying every handshake against Pebble's roots. Prints: renewals per set,
 * whether each happened before the old certificate expired, handshakes and failures, handshakes
 * that were served an expired certificate, the renewal times relative to the ARI window, and the
 * ACME requests per renewal (counted by the manager's event listener, acme-core's request events).
 *
 * <p>Pebble's own ARI window is the last third of the lifetime widened by 24 hours on each side,
 * clamped to the validity period (printed at the start): for a 600-second certificate it is the
 * whole lifetime, notBefore to notAfter, so a client that honours it may renew in the first second
 * or in the last one. The harness therefore
 * sets each new certificate's window through Pebble's management API, synchronously in the
 * {@code issuanceSucceeded} event, before the manager first asks: the window is the span from
 * 60 % to 73 % of the lifetime (for 600 s: 360 s to 440 s after notBefore), as a CA serving
 * short-lived certificates would answer.
 *
 * <p>Usage: {@code ManagerSoak [minutes] [sets]} (default 30 minutes, 10 sets). Not a test: it
 * asserts nothing.
 */
public final class ManagerSoak {
    private static final Duration LIFETIME = Duration.ofSeconds(600);
    private static final double WINDOW_START = 0.60;
    private static final double WINDOW_END = 0.73;

    private ManagerSoak() {
    }

    /**
     * Runs the soak.
     *
     * @param args minutes (default 30), sets (default 10)
     * @throws Exception when Pebble or the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 30);
        int sets = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path storage = Files.createTempDirectory("keyward-soak");
        try (PebbleServer pebble = PebbleServer.builder().vaNoSleep(true)
                .profiles(Map.of("tenminutes", new PebbleProfile("600 seconds", LIFETIME))).build().start();
             Http01Server http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.http01Port()))) {
            Recorder recorder = new Recorder(pebble);
            AcmeCa ca = AcmeCa.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                    .agreeToTermsOfService().build();
            CertificateManager.Builder builder = CertificateManager.builder()
                    .storage(CertificateStorage.files(storage)).eventListener(recorder);
            for (int i = 0; i < sets; i++) {
                builder.add(CertificateSet.builder("s" + i).domains("s" + i + ".soak.keyward.test").ca(ca)
                        .profile("tenminutes").solvers(http).build());
            }
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4);
            try (CertificateManager manager = builder.build()) {
                server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
                server.setExecutor(executor);
                server.createContext("/", exchange -> {
                    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.start();
                long started = System.nanoTime();
                manager.start();
                System.out.printf("start-up: %d sets issued in %.1f s%n", sets, (System.nanoTime() - started) / 1e9);
                printServedWindow(pebble, manager.certificate("s0").orElseThrow().leaf());
                Client client = new Client(pebble.rootCertificates(), server.getAddress().getPort(), manager.setNames());
                Thread clientThread = new Thread(client, "soak-client");
                clientThread.start();
                Instant end = Instant.now().plus(length);
                Instant nextReport = Instant.now().plus(Duration.ofMinutes(5));
                while (Instant.now().isBefore(end)) {
                    Thread.sleep(1000);
                    if (Instant.now().isAfter(nextReport)) {
                        System.out.printf("%s: %d renewals, %d handshakes, %d failed, %d expired served%n",
                                Instant.now(), recorder.renewals.size(), client.handshakes.get(),
                                client.failures.get(), client.expired.get());
                        nextReport = nextReport.plus(Duration.ofMinutes(5));
                    }
                }
                client.stop.set(true);
                clientThread.join(60_000);
                recorder.report(manager, length, client);
            } finally {
                server.stop(0);
                executor.shutdownNow();
            }
        }
    }

    private static void printServedWindow(PebbleServer pebble, X509Certificate leaf) throws Exception {
        try (AcmeClient client = AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build()) {
            RenewalInfo info = client.fetchRenewalInfo(leaf);
            System.out.printf("window served for s0 (set by the harness): %s .. %s (lifetime %s .. %s)%n",
                    info.windowStart(), info.windowEnd(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
    }

    /** Records the manager's and acme-core's events. */
    private static final class Recorder implements EventListener {
        private final PebbleServer pebble;
        private final Map<String, Instant[]> windows = new ConcurrentHashMap<>();
        private final Map<String, Integer> requestsInIssuance = new ConcurrentHashMap<>();
        private final List<String> renewals = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Double> windowOffsets = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Double> windowFractions = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Integer> requestsPerRenewal = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Double> renewalSeconds = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();
        private final AtomicInteger renewedAfterExpiry = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger badNonces = new AtomicInteger();
        private final AtomicInteger retries = new AtomicInteger();
        private final AtomicInteger polls = new AtomicInteger();
        private final AtomicInteger renewalInfoRequests = new AtomicInteger();
        private volatile String current;
        private volatile boolean pebbleWindowPrinted;

        Recorder(PebbleServer pebble) {
            this.pebble = pebble;
        }

        @Override
        public void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
            current = set;
            requestsInIssuance.put(set, 0);
            Instant now = Instant.now();
            startedAt.put(set, now);
            if (replacing.isPresent()) {
                Instant[] w = windows.get(set);
                if (w != null) {
                    double span = Duration.between(w[0], w[1]).toMillis();
                    windowOffsets.add(Duration.between(w[0], now).toMillis() / 1000.0);
                    windowFractions.add(Duration.between(w[0], now).toMillis() / span);
                }
            }
        }

        @Override
        public void issuanceSucceeded(String set, ManagedCertificate certificate) {
            current = null;
            X509Certificate leaf = certificate.leaf();
            Instant notBefore = leaf.getNotBefore().toInstant();
            long life = Duration.between(notBefore, leaf.getNotAfter().toInstant()).toMillis();
            Instant start = notBefore.plusMillis((long) (life * WINDOW_START));
            Instant end = notBefore.plusMillis((long) (life * WINDOW_END));
            if (!pebbleWindowPrinted) {
                pebbleWindowPrinted = true;
                try (AcmeClient client = AcmeClient.builder(pebble.directoryUri())
                        .trustAnchors(pebble.trustAnchors()).build()) {
                    RenewalInfo own = client.fetchRenewalInfo(leaf);
                    System.out.printf("Pebble's own ARI window for a %d s certificate: %s .. %s (notBefore %s,"
                            + " notAfter %s), Retry-After %s%n", life / 1000, own.windowStart(), own.windowEnd(),
                            notBefore, leaf.getNotAfter().toInstant(), own.retryAfter().map(Object::toString).orElse("-"));
                } catch (Exception e) {
                    System.out.println("Pebble's own ARI window could not be read: " + e);
                }
            }
            pebble.setRenewalInfo(leaf, "{\"suggestedWindow\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}");
            windows.put(set, new Instant[] {start, end});
        }

        @Override
        public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
            current = null;
            failures.incrementAndGet();
            System.out.println(Instant.now() + " " + set + ": issuance failed (" + consecutiveFailures + "), next "
                    + nextAttempt + ": " + failure);
        }

        @Override
        public void certificateReplaced(String set, Optional<ManagedCertificate> previous, ManagedCertificate now) {
            if (previous.isPresent()) {
                renewals.add(set);
                requestsPerRenewal.add(requestsInIssuance.getOrDefault(set, 0));
                renewalSeconds.add(Duration.between(startedAt.get(set), Instant.now()).toMillis() / 1000.0);
                if (!previous.get().notAfter().isAfter(Instant.now())) {
                    renewedAfterExpiry.incrementAndGet();
                }
            }
        }

        @Override
        public void requestEnd(String method, URI url, int status, Duration duration) {
            count(url);
        }

        @Override
        public void requestFailed(String method, URI url, Exception failure, Duration duration) {
            count(url);
        }

        private void count(URI url) {
            requests.incrementAndGet();
            String set = current;
            if (set != null) {
                requestsInIssuance.merge(set, 1, Integer::sum);
            } else if (url.getPath().contains("renewalInfo")) {
                renewalInfoRequests.incrementAndGet();
            }
        }

        @Override
        public void badNonce(URI url, int attempt) {
            badNonces.incrementAndGet();
        }

        @Override
        public void retry(String method, URI url, dev.keyward.acme.AcmeException reason, int attempt, Duration delay) {
            retries.incrementAndGet();
        }

        @Override
        public void poll(URI url, dev.keyward.acme.Status status, Duration nextDelay) {
            polls.incrementAndGet();
        }

        void report(CertificateManager manager, Duration length, Client client) {
            Map<String, Integer> perSet = new java.util.TreeMap<>();
            for (String set : manager.setNames()) {
                perSet.put(set, 0);
            }
            synchronized (renewals) {
                renewals.forEach(s -> perSet.merge(s, 1, Integer::sum));
            }
            Instant now = Instant.now();
            long valid = manager.setNames().stream()
                    .filter(s -> manager.certificate(s).map(c -> c.notAfter().isAfter(now)).orElse(false)).count();
            System.out.printf("%n== ManagerSoak: %d sets, %d s certificates, %d min ==%n", perSet.size(),
                    LIFETIME.toSeconds(), length.toMinutes());
            System.out.println("renewals per set: " + perSet);
            System.out.printf("renewals: %d, renewed after the old certificate expired: %d, failed issuances: %d,"
                    + " sets valid at the end: %d/%d%n", renewals.size(), renewedAfterExpiry.get(), failures.get(),
                    valid, perSet.size());
            System.out.printf("handshakes: %d, failed: %d, served an expired certificate: %d%n",
                    client.handshakes.get(), client.failures.get(), client.expired.get());
            if (client.firstFailure != null) {
                System.out.println("first failed handshake: " + client.firstFailure);
            }
            System.out.printf("renewal start relative to the ARI window start (window %.0f s long): min %.1f s,"
                    + " median %.1f s, max %.1f s; as a fraction of the window: min %.2f, median %.2f, max %.2f;"
                    + " outside the window: %d%n",
                    LIFETIME.toSeconds() * (WINDOW_END - WINDOW_START),
                    Stats.min(windowOffsets), Stats.median(windowOffsets), Stats.max(windowOffsets),
                    Stats.min(windowFractions), Stats.median(windowFractions), Stats.max(windowFractions),
                    windowFractions.stream().filter(f -> f < 0 || f > 1).count());
            System.out.printf("requests per renewal: min %.0f, median %.0f, max %.0f (badNonce %d, retries %d,"
                    + " polls %d over the run); renewal wall time median %.2f s, max %.2f s%n",
                    Stats.min(requestsPerRenewal), Stats.median(requestsPerRenewal), Stats.max(requestsPerRenewal),
                    badNonces.get(), retries.get(), polls.get(), Stats.median(renewalSeconds), Stats.max(renewalSeconds));
            System.out.printf("ACME requests in all: %d, of them renewalInfo checks outside issuances: %d%n",
                    requests.get(), renewalInfoRequests.get());
        }
    }

    /** Connects continuously, round robin over the sets, one new TLS connection per request. */
    private static final class Client implements Runnable {
        private final javax.net.ssl.TrustManager[] trust;
        private final int port;
        private final List<String> sets;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong handshakes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong expired = new AtomicLong();
        volatile Exception firstFailure;

        Client(List<X509Certificate> roots, int port, List<String> sets) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root" + i, roots.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            this.trust = tmf.getTrustManagers();
            this.port = port;
            this.sets = sets;
        }

        @Override
        public void run() {
            for (long i = 0; !stop.get(); i++) {
                String host = sets.get((int) (i % sets.size())) + ".soak.keyward.test";
                try {
                    X509Certificate leaf = handshake(host);
                    handshakes.incrementAndGet();
                    if (!leaf.getNotAfter().toInstant().isAfter(Instant.now())) {
                        expired.incrementAndGet();
                    }
                } catch (Exception e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        if (t instanceof java.security.cert.CertificateExpiredException) {
                            expired.incrementAndGet();
                            break;
                        }
                    }
                    failures.incrementAndGet();
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** A new context per connection, so no session is resumed; the chain and the name are verified. */
        private X509Certificate handshake(String host) throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            try (Socket plain = new Socket("127.0.0.1", port);
                 SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                socket.setSoTimeout(30_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                OutputStream out = socket.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.getInputStream().readAllBytes();
                return leaf;
            }
        }
    }
}
