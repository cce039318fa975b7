package dev.keyward.benchmarks;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * Where the milliseconds of one warm Keyward issuance go (a new client and a new account each, as
 * {@link InProcessTable}'s warm row), from per-step probes: key generation, client construction,
 * each request split into connection set-up (TCP, TLS), the client's own part before the request
 * is written, and the wait for Pebble's answer; the signatures; and the time between requests
 * (polling waits, the validator, parsing). Prints the timeline of the median run and the mean of
 * each part over the runs.
 *
 * <p>Usage: {@code IssuanceProbe [N]} (default 20 measured runs after 5 warm-up runs); starts its
 * own Pebble 2.10 (validator without sleep, no nonce rejection, no authorization reuse). The
 * client is Keyward's default OkHttp set-up ({@code TCP_NODELAY} sockets) with an event listener
 * added. Not a test.
 */
public final class IssuanceProbe {
    private IssuanceProbe() {
    }

    /** One timestamped event of a run, in nanoseconds since the run's start. */
    private record Event(long at, String what) {
    }

    /** The events of one run, and the totals of each part. */
    private static final class Run {
        final long start = System.nanoTime();
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Long> parts = new LinkedHashMap<>();
        long total;

        synchronized void add(String part, long nanos) {
            parts.merge(part, nanos, Long::sum);
        }

        void event(String what) {
            events.add(new Event(System.nanoTime() - start, what));
        }
    }

    private static volatile Run current;

    /**
     * Runs the probe.
     *
     * @param args {@code [N]}
     * @throws Exception if Pebble cannot start or an issuance fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Run> measured = new ArrayList<>();
        try (PebbleServer pebble = PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0)
                .vaNoSleep(true).build().start();
             LookupResponder responder = new LookupResponder(pebble.http01Port())) {
            for (int i = 0; i < 5 + runs; i++) {
                Run run = once(pebble, responder, "probe-" + i + "-" + Long.toHexString(System.nanoTime()) + ".test");
                if (i >= 5) {
                    measured.add(run);
                }
            }
        }
        measured.sort((a, b) -> Long.compare(a.total, b.total));
        Run median = measured.get(measured.size() / 2);
        System.out.printf(Locale.ROOT, "Timeline of the median run (%.1f ms):%n", median.total / 1e6);
        for (Event e : median.events) {
            System.out.printf(Locale.ROOT, "  %7.1f ms  %s%n", e.at / 1e6, e.what);
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (Run run : measured) {
            run.parts.forEach((part, nanos) -> means.merge(part, nanos / 1e6 / measured.size(), Double::sum));
        }
        double total = measured.stream().mapToLong(r -> r.total).average().orElseThrow() / 1e6;
        System.out.printf(Locale.ROOT, "%nMean over %d runs: %.1f ms per issuance%n", measured.size(), total);
        means.forEach((part, ms) -> System.out.printf(Locale.ROOT, "  %-58s %7.1f ms%n", part, ms));
    }

    private static Run once(PebbleServer pebble, LookupResponder responder, String name) throws Exception {
        Run run = new Run();
        current = run;
        long t = System.nanoTime();
        KeyPair accountPair = Acme4jFlow.ecP256();
        KeyPair certificatePair = Acme4jFlow.ecP256();
        run.add("key generation (2 x EC P-256)", System.nanoTime() - t);
        run.event("keys generated");
        t = System.nanoTime();
        OkHttpClient http = AcmeClient.defaultHttpClient().eventListener(new Probe()).build();
        try (AcmeClient client = AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors())
                .httpClient(http).build()) {
            run.add("client construction", System.nanoTime() - t);
            run.event("client built");
            IssuanceFlow.issue(client, responder.lookup, timed(accountPair, run), List.of(name),
                    timed(certificatePair, run));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        run.total = System.nanoTime() - run.start;
        run.event("chain downloaded and checked");
        long accounted = run.parts.values().stream().mapToLong(Long::longValue).sum()
                - run.parts.getOrDefault("  of which: TCP connect", 0L) - run.parts.getOrDefault("  of which: TLS handshake", 0L)
                - run.parts.getOrDefault("  of which: waiting for Pebble's answer", 0L);
        run.add("rest: between requests (validator, waits, parsing, CSR)", run.total - accounted);
        return run;
    }

    /** A signer that adds the time of each signature to the run. */
    private static AcmeSigner timed(KeyPair pair, Run run) {
        AcmeSigner signer = Signers.jca(pair.getPrivate(), pair.getPublic());
        return new AcmeSigner() {
            @Override
            public SignatureAlgorithm algorithm() {
                return signer.algorithm();
            }

            @Override
            public PublicKey publicKey() {
                return signer.publicKey();
            }

            @Override
            public byte[] sign(byte[] data) throws dev.keyward.acme.AcmeSigningException {
                long t = System.nanoTime();
                try {
                    return signer.sign(data);
                } finally {
                    run.add("signatures (JWS and CSR)", System.nanoTime() - t);
                }
            }
        };
    }

    /** Times each call, its connection set-up and the wait for the answer. */
    private static final class Probe extends EventListener {
        private long callStart;
        private long connectStart;
        private long secureStart;
        private long requestEnd;

        @Override
        public void callStart(Call call) {
            callStart = System.nanoTime();
            current.event("-> " + call.request().method() + " " + call.request().url().encodedPath());
        }

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connectStart = System.nanoTime();
        }

        @Override
        public void secureConnectStart(Call call) {
            secureStart = System.nanoTime();
            current.add("  of which: TCP connect", secureStart - connectStart);
        }

        @Override
        public void secureConnectEnd(Call call, Handshake handshake) {
            current.add("  of which: TLS handshake", System.nanoTime() - secureStart);
            current.event("   TLS " + (handshake == null ? "" : handshake.tlsVersion()) + " done");
        }

        @Override
        public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
            current.event("   connected, " + protocol);
        }

        @Override
        public void requestHeadersEnd(Call call, okhttp3.Request request) {
            requestEnd = System.nanoTime();
        }

        @Override
        public void requestBodyEnd(Call call, long byteCount) {
            requestEnd = System.nanoTime();
        }

        @Override
        public void responseHeadersStart(Call call) {
            current.add("  of which: waiting for Pebble's answer", System.nanoTime() - requestEnd);
        }

        @Override
        public void responseHeadersEnd(Call call, Response response) {
            current.event("<- " + response.code());
        }

        @Override
        public void callEnd(Call call) {
            current.add("requests (call start to end, all parts)", System.nanoTime() - callStart);
        }

        @Override
        public void callFailed(Call call, IOException ioe) {
            current.add("requests (call start to end, all parts)", System.nanoTime() - callStart);
        }
    }
}
