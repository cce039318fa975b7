package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.pebble.PebbleFlow;
import dev.keyward.acme.pebble.TestKeys;
import dev.keyward.acme.reliability.TrafficRecorder.Exchange;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.TimeoutDiagnostics;
import dev.keyward.acme.testkit.PebbleServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One {@link AcmeClient} and one {@link Account} shared by sixteen threads that issue a hundred
 * certificates for distinct names over http-01 (RFC 8555 section 7.4), against a Pebble that reuses
 * no authorization and rejects no good nonce. The run happens once for the class, through a
 * caller-owned OkHttp client whose interceptor watches every exchange; the tests examine it.
 */
class ConcurrentIssuanceAgainstPebbleTest {
    private static final int THREADS = 16;
    /**
     * Each issuance's own deadline, and the test's wait for it: above the deadline, so that a stalled
     * CA ends as the library's typed timeout (and the diagnostics it prints), never as the test's wait.
     */
    private static final Duration ISSUANCE_DEADLINE = Duration.ofSeconds(90);
    private static final Duration WAIT = ISSUANCE_DEADLINE.plusSeconds(60);
    private static final int CERTIFICATES = 100;
    private static final Duration THREAD_END_DEADLINE = Duration.ofSeconds(10);

    /**
     * Threads that may outlive the run: OkHttp's process-wide task runner and Okio's timeout
     * watchdog keep idle workers for a minute whichever client used them, and the test kit's http-01
     * responder keeps its own. OkHttp 5's pooled workers keep the name of the last task they ran
     * (for example {@code OkHttp ConnectionPool connection closer}) while they wait for the next one,
     * so a worker is excused when it is idle in the task runner's wait; a worker still serving one of
     * this run's connections is elsewhere (reading a socket), so it is not excused.
     */
    private static final Predicate<Thread> SHARED_IDLE_WORKERS = t -> t.getName().equals("OkHttp TaskRunner")
            || t.getName().equals("Okio Watchdog") || t.getName().startsWith("keyward-http01-")
            || idleInOkHttpsTaskRunner(t);

    private static boolean idleInOkHttpsTaskRunner(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().startsWith("okhttp3.internal.concurrent.TaskRunner")
                    && frame.getMethodName().equals("awaitTaskToRun")) {
                return true;
            }
        }
        return false;
    }

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0).nonceRejectPercent(0)).build();

    private static final TrafficRecorder traffic = new TrafficRecorder();
    private static final List<String> certifiedNames = new ArrayList<>();
    private static final List<Throwable> failures = new ArrayList<>();
    private static Duration wallTime;
    private static int connectionsAfterRun;
    private static int idleConnectionsAfterRun;
    private static int connectionsAfterEviction;
    private static Map<String, Thread.State> leftoverThreads;

    @BeforeAll
    static void issueOneHundredCertificatesFromSixteenThreads() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        pebble.server().http01Responder(); // started first: the test kit's threads are not the client's
        Map<Thread, String> before = LiveThreads.snapshot();

        OkHttpClient http = PebbleHttpClients.trusting(pebble.server(), traffic);
        traffic.sampleConnections(http.connectionPool()::connectionCount);
        AcmeClient client = PebbleHttpClients.acmeClient(pebble.server(), http);
        Account account = flow.register(client, TestKeys.ecP256());
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService issuers = Executors.newFixedThreadPool(THREADS,
                task -> new Thread(task, "issuer-" + threadNumber.incrementAndGet()));
        long start = System.nanoTime();
        List<Future<String>> issuances = new ArrayList<>();
        for (int i = 0; i < CERTIFICATES; i++) {
            String name = PebbleFlow.uniqueName("load-" + i);
            issuances.add(issuers.submit(() -> {
                AcmeSigner certificateKey = TestKeys.ecP256();
                CertificateChain chain = account.issue(flow.request(List.of(name), PebbleFlow.Method.HTTP01,
                        certificateKey).deadline(ISSUANCE_DEADLINE).build()).chain();
                assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
                return name;
            }));
        }
        for (Future<String> issuance : issuances) {
            try {
                certifiedNames.add(issuance.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        wallTime = Duration.ofNanos(System.nanoTime() - start);
        failures.stream().filter(TimeoutDiagnostics::isTimeout).findFirst().ifPresent(timeout ->
                TimeoutDiagnostics.report(System.err, "16 issuing threads", timeout, pebble.server()));
        issuers.shutdown();
        issuers.awaitTermination(30, TimeUnit.SECONDS);

        client.close();
        connectionsAfterRun = http.connectionPool().connectionCount();
        idleConnectionsAfterRun = http.connectionPool().idleConnectionCount();
        PebbleHttpClients.release(http);
        connectionsAfterEviction = http.connectionPool().connectionCount();
        leftoverThreads = LiveThreads.leftSince(before, SHARED_IDLE_WORKERS, THREAD_END_DEADLINE);

        System.out.printf("16 threads, one account: %d/%d certificates in %d ms; %d requests (%d signed POSTs);"
                        + " max in flight %d (signed POSTs %d); max connections %d, after the run %d (%d idle),"
                        + " after eviction %d; leftover threads %s%n",
                certifiedNames.size(), CERTIFICATES, wallTime.toMillis(), traffic.exchanges().size(),
                traffic.posts().size(), traffic.maxInFlight(), maxOverlap(traffic.posts()), traffic.maxConnections(),
                connectionsAfterRun, idleConnectionsAfterRun, connectionsAfterEviction, leftoverThreads);
    }

    @Test
    void everyOneOfTheHundredCertificatesIsIssued() {
        assertThat(failures).as("issuances that failed").isEmpty();
        assertThat(certifiedNames).hasSize(CERTIFICATES).doesNotHaveDuplicates();
    }

    @Test
    void requestsOfDifferentThreadsAreInFlightAtTheSameTime() {
        assertThat(traffic.maxInFlight()).isGreaterThan(1);
        assertThat(maxOverlap(traffic.posts())).as("signed POSTs in flight at once").isGreaterThan(1);
    }

    @Test
    void everySignedRequestCarriesADistinctNonceAndNoneIsRejected() {
        List<Exchange> posts = traffic.posts();

        assertThat(posts).extracting(Exchange::nonce).allSatisfy(n -> assertThat(n).isPresent());
        assertThat(posts.stream().map(Exchange::nonce).map(Optional::get).toList()).doesNotHaveDuplicates();
        assertThat(posts).filteredOn(Exchange::isBadNonce).as("badNonce answers").isEmpty();
    }

    @Test
    void theConnectionPoolStaysSmallAndHoldsNoConnectionInUseAfterTheRun() {
        assertThat(traffic.maxConnections()).isBetween(1, THREADS);
        assertThat(idleConnectionsAfterRun).as("idle connections of %d", connectionsAfterRun)
                .isEqualTo(connectionsAfterRun);
        assertThat(connectionsAfterEviction).isZero();
    }

    @Test
    void noThreadOfTheRunOutlivesItOnceItsConnectionsAreReleased() {
        assertThat(leftoverThreads).isEmpty();
    }

    /**
     * Clients built without an OkHttp client of their own share Keyward's default one (OkHttp's
     * advice: one connection pool per process): a second client of the same CA, built after the
     * first was closed, sends its requests over the connection the first opened, with no new TCP
     * or TLS set-up. Closing a client leaves the shared pool to the others.
     */
    @Test
    void clientsWithoutAnHttpClientOfTheirOwnShareOneConnection() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        String host = pebble.server().directoryUri().getHost();
        Predicate<String> servingThisCa = name -> name.startsWith("OkHttp ") && name.contains(host);
        Map<Thread, String> before = LiveThreads.snapshot();
        try (AcmeClient first = flow.client()) {
            flow.register(first, TestKeys.ecP256());
        }
        List<String> firstConnection = LiveThreads.startedSince(before, servingThisCa);
        Map<Thread, String> afterFirst = LiveThreads.snapshot();

        try (AcmeClient second = flow.client()) {
            Account account = flow.register(second, TestKeys.ecP256());
            account.issue(flow.request(List.of(PebbleFlow.uniqueName("shared")), PebbleFlow.Method.HTTP01,
                    TestKeys.ecP256()).deadline(ISSUANCE_DEADLINE).build());
        }

        assertThat(firstConnection).as("the thread reading the first client's connection").isNotEmpty();
        assertThat(LiveThreads.startedSince(afterFirst, servingThisCa)).as("connections opened by the second client")
                .isEmpty();
    }

    /** The most exchanges whose [start, end] intervals overlap at one instant. */
    private static int maxOverlap(List<Exchange> exchanges) {
        List<long[]> events = new ArrayList<>();
        for (Exchange e : exchanges) {
            events.add(new long[] {e.startNanos(), 1});
            events.add(new long[] {e.endNanos(), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int max = 0;
        for (long[] event : events) {
            now += (int) event[1];
            max = Math.max(max, now);
        }
        return max;
    }
}
