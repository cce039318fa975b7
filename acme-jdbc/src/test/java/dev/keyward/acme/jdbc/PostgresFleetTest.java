package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.Order;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A fleet on one PostgreSQL table: a database that goes away mid-run, and worker JVMs killed with SIGKILL. */
class PostgresFleetTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @TempDir
    Path logs;

    @Test
    void aDatabaseThatGoesAwayMidRunLosesNothingAndFinalizesEachCsrOnce() throws Exception {
        String url = postgres.newDatabase();
        int n = 16;
        URI directory = pebble.server().directoryUri();
        try (CsrQueue queue = CsrQueue.open(url).createSchema();
             AcmeClient client = AcmeClient.builder(directory).trustAnchors(pebble.server().trustAnchors()).build()) {
            KeyPair accountKey = TestCsrs.ecP256();
            Account account = client.newAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic()))
                    .agreeToTermsOfService().create();
            List<KeyPair> keys = submit(queue, directory, n);
            PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
            CountDownLatch fourIssued = new CountDownLatch(4);
            QueueRunner runner = QueueRunner.builder(queue, account, directory)
                    .solver("dns-01", Dns01Solver.using(new ChallengeTestDns(pebble.server().dns())))
                    .workers(2).lease(Duration.ofSeconds(2)).backoff(Duration.ZERO, Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).databaseOutage(Duration.ofMinutes(2))
                    .listener(new IssuanceListener() {
                        @Override
                        public void issued(Order order, CertificateChain chain) {
                            fourIssued.countDown();
                        }
                    }).build();
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    runner.runUntilEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(fourIssued.await(120, TimeUnit.SECONDS)).as("4 certificates before the outage").isTrue();
            postgres.server().stop();
            assertThat(run).as("workers wait for the database").isNotDone();
            postgres.server().startServer();
            run.get(180, TimeUnit.SECONDS);

            assertAllIssuedOnce(queue, url, keys);
            assertThat(log.finalizations()).as("finalize requests").isEqualTo(n);
        }
    }

    @Test
    void twoWorkerJvmsDrainTwentyCsrsWhileOneIsKilledWithoutDuplicatesOrLosses() throws Exception {
        String url = postgres.newDatabase();
        int n = 20;
        URI directory = pebble.server().directoryUri();
        try (CsrQueue queue = CsrQueue.open(url).createSchema()) {
            List<KeyPair> keys = submit(queue, directory, n);
            PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
            WorkerJvms jvms = new WorkerJvms(url, pebble.server(), TestCsrs.ecP256(), logs, 2, 3);
            List<Process> processes = new ArrayList<>(List.of(jvms.start(), jvms.start()));

            Process victim = processes.get(0);
            String worker = "jvm" + victim.pid();
            awaitRowWithStoredOrderHeldBy(url, worker, Instant.now().plusSeconds(120));
            victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            processes.add(jvms.start());

            for (Process p : processes.subList(1, processes.size())) {
                assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("worker exits when the queue is empty; logs in %s", logs).isTrue();
                assertThat(p.exitValue()).as("exit code; log %s", Files.readString(logs.resolve("worker-1.log"))).isZero();
            }
            assertThat(victim.exitValue()).isEqualTo(137);
            assertAllIssuedOnce(queue, url, keys);
            assertThat(log.finalizations()).as("finalize requests").isEqualTo(n);
            assertThat(log.newOrders()).as("newOrder requests: at most one orphan per kill").isBetween(n, n + 1);
        }
    }

    static List<KeyPair> submit(CsrQueue queue, URI directory, int n) throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair key = TestCsrs.ecP256();
            keys.add(key);
            long id = queue.submit(CsrSubmission.builder().csr(TestCsrs.der(key, TestCsrs.uniqueName("fleet" + i)))
                    .directory(directory).build());
            assertThat(id).isEqualTo(i + 1);
        }
        return keys;
    }

    /** Every row issued once, for its own key, with its own serial and order. */
    static void assertAllIssuedOnce(CsrQueue queue, String url, List<KeyPair> keys) throws Exception {
        Set<BigInteger> serials = new HashSet<>();
        Set<URI> orders = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            QueuedCsr row = queue.get(i + 1).orElseThrow();
            assertThat(row.state()).as("row %s", row).isEqualTo(CsrState.ISSUED);
            X509Certificate leaf = QueueContract.certificates(row.chainPem().orElseThrow()).get(0);
            assertThat(leaf.getPublicKey()).isEqualTo(keys.get(i).getPublic());
            serials.add(leaf.getSerialNumber());
            orders.add(row.orderUrl().orElseThrow());
        }
        assertThat(serials).hasSize(keys.size());
        assertThat(orders).hasSize(keys.size());
        assertThat(queue.counts()).containsEntry(CsrState.ISSUED, (long) keys.size());
    }

    /** Waits (polling the table) until the worker holds a row whose order URL is stored. */
    static void awaitRowWithStoredOrderHeldBy(String url, String worker, Instant deadline) throws Exception {
        AtomicInteger polls = new AtomicInteger();
        while (Instant.now().isBefore(deadline)) {
            polls.incrementAndGet();
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM keyward_csr_queue WHERE worker LIKE ?"
                         + " AND state = 'in_flight' AND order_url IS NOT NULL")) {
                s.setString(1, worker + "%");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("worker " + worker + " never held a row with a stored order (" + polls + " polls)");
    }
}
