package dev.keyward.acme.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.Order;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the queue does against a real Pebble, on whichever database a subclass gives
 * ({@link #newJdbcUrl()}): H2 in file mode, or a private PostgreSQL server.
 */
abstract class QueueContract {
    /** The domain Pebble refuses names under, with {@code rejectedIdentifier}. */
    static final String BLOCKED = "blocked.keyward.test";

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder().authorizationReusePercent(0)
            .domainBlocklist(List.of(BLOCKED))).build();


    CsrQueue queue;
    AcmeClient client;
    Account account;
    URI directory;
    String jdbcUrl;

    /** A JDBC URL of an empty database. */
    abstract String newJdbcUrl() throws Exception;

    @BeforeEach
    void open() throws Exception {
        jdbcUrl = newJdbcUrl();
        queue = CsrQueue.open(jdbcUrl).createSchema();
        directory = pebble.server().directoryUri();
        client = AcmeClient.builder(directory).trustAnchors(pebble.server().trustAnchors()).build();
        KeyPair accountKey = TestCsrs.ecP256();
        account = client.newAccount(Signers.jca(accountKey.getPrivate(), accountKey.getPublic())).agreeToTermsOfService().create();
    }

    @AfterEach
    void close() {
        queue.close();
        client.close();
    }

    QueueRunner.Builder runner() {
        return QueueRunner.builder(queue, account, directory)
                .solver("dns-01", Dns01Solver.using(new ChallengeTestDns(pebble.server().dns())))
                .backoff(Duration.ZERO, Duration.ZERO).pollInterval(Duration.ofMillis(50));
    }

    long submit(byte[] csr) throws CsrQueueException {
        return queue.submit(CsrSubmission.builder().csr(csr).directory(directory).build());
    }

    @Test
    void workersIssueOneCertificatePerRowForTheKeyOfItsCsrWithOneOrderEach() throws Exception {
        int n = 12;
        List<KeyPair> keys = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair key = TestCsrs.ecP256();
            keys.add(key);
            byte[] der = TestCsrs.der(key, TestCsrs.uniqueName("q" + i), TestCsrs.uniqueName("alt" + i));
            ids.add(i % 2 == 0 ? submit(der) : queue.submit(CsrSubmission.builder().csrPem(TestCsrs.pem(der))
                    .directory(directory).build()));
        }
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());

        runner().workers(3).build().runUntilEmpty();

        Set<BigInteger> serials = new HashSet<>();
        Set<URI> orders = new HashSet<>();
        for (int i = 0; i < n; i++) {
            QueuedCsr row = queue.get(ids.get(i)).orElseThrow();
            assertThat(row.state()).as("row %s", row).isEqualTo(CsrState.ISSUED);
            List<X509Certificate> chain = certificates(row.chainPem().orElseThrow());
            assertThat(chain).hasSizeGreaterThan(1);
            assertThat(chain.get(0).getPublicKey()).isEqualTo(keys.get(i).getPublic());
            assertThat(chain.get(0).getSubjectAlternativeNames()).hasSize(2);
            serials.add(chain.get(0).getSerialNumber());
            orders.add(row.orderUrl().orElseThrow());
            assertThat(row.attempts()).isEqualTo(1);
        }
        assertThat(serials).hasSize(n);
        assertThat(orders).hasSize(n);
        assertThat(log.newOrders()).as("newOrder requests").isEqualTo(n);
        assertThat(log.finalizations()).as("finalize requests").isEqualTo(n);
        assertThat(queue.counts()).containsEntry(CsrState.ISSUED, (long) n).containsEntry(CsrState.PENDING, 0L)
                .containsEntry(CsrState.IN_FLIGHT, 0L).containsEntry(CsrState.FAILED, 0L);
    }

    /** A worker that dies: what propagates past every catch, like the end of its JVM. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash after the order was stored");
        }
    }

    @Test
    void aWorkerThatDiesAfterStoringTheOrderIsResumedByAnotherAfterTheLeaseWithoutASecondOrder() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        long id = submit(TestCsrs.der(key, TestCsrs.uniqueName("crash")));
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
        QueueRunner dying = runner().lease(Duration.ofSeconds(30)).workerName("dying").listener(new IssuanceListener() {
            @Override
            public void orderCreated(Order order) {
                throw new SimulatedCrash();
            }
        }).build();

        assertThatThrownBy(dying::runOnce).isInstanceOf(SimulatedCrash.class);
        dying.close();

        QueuedCsr held = queue.get(id).orElseThrow();
        assertThat(held.state()).isEqualTo(CsrState.IN_FLIGHT);
        URI order = held.orderUrl().orElseThrow();
        QueueRunner early = runner().workerName("early").build();
        assertThat(early.runOnce()).as("claimed before the lease expired").isFalse();

        AcmeClock later = new ShiftedClock(Duration.ofSeconds(31));
        QueueRunner taker = runner().workerName("taker").clock(later).build();
        assertThat(taker.runOnce()).isTrue();

        QueuedCsr done = queue.get(id).orElseThrow();
        assertThat(done.state()).isEqualTo(CsrState.ISSUED);
        assertThat(done.orderUrl()).contains(order);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(certificates(done.chainPem().orElseThrow()).get(0).getPublicKey()).isEqualTo(key.getPublic());
        assertThat(log.newOrders()).as("newOrder requests").isEqualTo(1);
        assertThat(log.finalizations()).as("finalize requests").isEqualTo(1);
    }

    @Test
    void aFailureAfterTheOrderIsStoredIsRetriedOnTheSameOrder() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        long id = submit(TestCsrs.der(key, TestCsrs.uniqueName("retry")));
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
        QueueRunner failing = runner().listener(new IssuanceListener() {
            @Override
            public void finalizing(Order order) {
                throw new IllegalStateException("listener broke just before finalize");
            }
        }).build();

        assertThat(failing.runOnce()).isTrue();
        QueuedCsr pending = queue.get(id).orElseThrow();
        assertThat(pending.state()).isEqualTo(CsrState.PENDING);
        assertThat(pending.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("listener broke"));
        URI order = pending.orderUrl().orElseThrow();

        assertThat(runner().build().runOnce()).isTrue();

        QueuedCsr done = queue.get(id).orElseThrow();
        assertThat(done.state()).isEqualTo(CsrState.ISSUED);
        assertThat(done.orderUrl()).contains(order);
        assertThat(log.newOrders()).isEqualTo(1);
        assertThat(log.finalizations()).isEqualTo(1);
    }

    @Test
    void rateLimitedMovesTheNextAttemptToRetryAfterWithoutCountingAnAttemptThenResumesTheOrder() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        long id = submit(TestCsrs.der(key, TestCsrs.uniqueName("limited")));
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());
        Instant retryAfter = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // Pebble never answers rateLimited: the refusal is thrown (unchecked, as the flow would) once the order exists
        QueueRunner limited = runner().listener(new IssuanceListener() {
            @Override
            public void orderCreated(Order order) {
                QueueContract.<RuntimeException>sneaky(new dev.keyward.acme.AcmeRateLimitedException(dev.keyward.acme.Problem.of(
                        URI.create("urn:ietf:params:acme:error:rateLimited"), "too many new orders", 429), retryAfter));
            }
        }).build();

        assertThat(limited.runOnce()).isTrue();

        QueuedCsr waiting = queue.get(id).orElseThrow();
        assertThat(waiting.state()).isEqualTo(CsrState.PENDING);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.nextAttemptAt()).isEqualTo(retryAfter);
        assertThat(waiting.problemJson()).contains("{\"type\":\"urn:ietf:params:acme:error:rateLimited\","
                + "\"detail\":\"too many new orders\",\"status\":429}");
        URI order = waiting.orderUrl().orElseThrow();
        assertThat(runner().build().runOnce()).as("claimed before Retry-After").isFalse();

        assertThat(runner().clock(new ShiftedClock(Duration.ofMinutes(61))).build().runOnce()).isTrue();

        QueuedCsr done = queue.get(id).orElseThrow();
        assertThat(done.state()).isEqualTo(CsrState.ISSUED);
        assertThat(done.orderUrl()).contains(order);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(log.newOrders()).isEqualTo(1);
        assertThat(log.finalizations()).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void badCsrsFailWithAClearReasonBeforeAnyRequestAndAreNeverRetried() throws Exception {
        byte[] good = TestCsrs.der(TestCsrs.ecP256(), TestCsrs.uniqueName("sig"));
        long badSignature = submit(TestCsrs.badSignature(good));
        long rsa1024 = submit(TestCsrs.der(TestCsrs.rsa(1024), TestCsrs.uniqueName("weak")));
        long empty = submit(new byte[0]);
        long garbage = submit("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n".getBytes());
        long notAllowed = queue.withPolicy(CsrPolicy.allowingDomains(List.of("example.com")))
                .submit(CsrSubmission.builder().csr(TestCsrs.der(TestCsrs.ecP256(), TestCsrs.uniqueName("elsewhere")))
                        .directory(directory).build());
        long insertedBySql = insertRaw(TestCsrs.badSignature(TestCsrs.der(TestCsrs.ecP256(), TestCsrs.uniqueName("sql"))));
        long emptyBySql = insertRaw(new byte[0]);
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());

        runner().build().runUntilEmpty();

        assertThat(reason(badSignature)).isEqualTo("bad CSR: its signature does not verify");
        assertThat(reason(rsa1024)).startsWith("key type not accepted: RSA 1024 bits");
        assertThat(reason(empty)).isEqualTo("bad CSR: the CSR is empty");
        assertThat(reason(garbage)).startsWith("bad CSR: not a PKCS#10 certification request");
        assertThat(reason(notAllowed)).startsWith("name not allowed: name elsewhere-").endsWith("is not under an allowed domain [example.com]");
        assertThat(reason(insertedBySql)).isEqualTo("bad CSR: its signature does not verify");
        assertThat(reason(emptyBySql)).isEqualTo("bad CSR: the CSR is empty");
        for (long id : List.of(badSignature, rsa1024, empty, garbage, notAllowed, insertedBySql, emptyBySql)) {
            QueuedCsr row = queue.get(id).orElseThrow();
            assertThat(row.state()).isEqualTo(CsrState.FAILED);
            assertThat(row.problemJson()).isEmpty();
            assertThat(row.attempts()).isLessThanOrEqualTo(1);
        }
        assertThat(log.all()).as("requests to the CA").isZero();
    }

    @Test
    void aProfileTheCaDoesNotOfferFailsAtOnceWithTheProblemDocumentAndNoOrder() throws Exception {
        long id = queue.submit(CsrSubmission.builder().csr(TestCsrs.der(TestCsrs.ecP256(), TestCsrs.uniqueName("profile")))
                .directory(directory).profile("no-such-profile").build());
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());

        runner().maxAttempts(5).build().runUntilEmpty();

        QueuedCsr row = queue.get(id).orElseThrow();
        assertThat(row.state()).isEqualTo(CsrState.FAILED);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.failureReason()).hasValueSatisfying(r -> assertThat(r).startsWith("the CA refused: "));
        assertThat(row.problemJson()).hasValueSatisfying(json -> assertThat(json)
                .startsWith("{\"type\":\"urn:ietf:params:acme:error:invalidProfile\"").contains("no-such-profile"));
        assertThat(log.newOrders()).isZero();
    }

    @Test
    void aNameTheCaRefusesFailsTheRowWithTheCasRejectedIdentifierProblemWithoutARetry() throws Exception {
        String refused = "www-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "." + BLOCKED;
        long id = submit(TestCsrs.der(TestCsrs.ecP256(), refused));
        PebbleLog log = PebbleLog.from(pebble.server().workDirectory());

        runner().maxAttempts(5).build().runUntilEmpty();

        QueuedCsr row = queue.get(id).orElseThrow();
        assertThat(row.state()).isEqualTo(CsrState.FAILED);
        assertThat(row.attempts()).as("not retried").isEqualTo(1);
        assertThat(row.failureReason()).hasValueSatisfying(r -> assertThat(r).startsWith("the CA refused: "));
        assertThat(row.problemJson()).hasValueSatisfying(json -> assertThat(json)
                .startsWith("{\"type\":\"urn:ietf:params:acme:error:rejectedIdentifier\"").contains(refused));
        assertThat(log.newOrders()).as("the refused newOrder, once").isEqualTo(1);
        assertThat(log.finalizations()).isZero();
    }

    @Test
    void failuresAreBoundedByTheAttemptCountThenTheRowFailsWithItsLastProblem() throws Exception {
        KeyPair key = TestCsrs.ecP256();
        String name = TestCsrs.uniqueName("nodns");
        long id = submit(TestCsrs.der(key, name));
        // a solver that publishes nothing: Pebble finds no TXT record, each attempt's authorization goes invalid
        QueueRunner runner = QueueRunner.builder(queue, account, directory)
                .solver("dns-01", Dns01Solver.using(new dev.keyward.acme.DnsProvider() {
                    @Override
                    public void setTxt(String n, String v) {
                    }

                    @Override
                    public void removeTxt(String n, String v) {
                    }
                })).maxAttempts(2).backoff(Duration.ZERO, Duration.ZERO).pollInterval(Duration.ofMillis(50)).build();

        runner.runUntilEmpty();

        QueuedCsr row = queue.get(id).orElseThrow();
        assertThat(row.state()).isEqualTo(CsrState.FAILED);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.failureReason()).hasValueSatisfying(r -> assertThat(r).startsWith("gave up after 2 attempts; last: the CA refused"));
        assertThat(row.problemJson()).hasValueSatisfying(json -> assertThat(json).contains("\"type\":\"urn:ietf:params:acme:error:"));
    }

    @Test
    void aSchemaOfAnotherVersionIsRefusedWithAClearError() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE keyward_csr_queue_schema SET version = 2");
        }
        QueueRunner runner = runner().build();

        assertThatThrownBy(runner::runUntilEmpty).isInstanceOf(CsrQueueException.class)
                .hasMessage("the CSR queue's schema is version 2 but this Keyward needs version 1 (table keyward_csr_queue_schema);"
                        + " migrate the table or use the matching Keyward");
        assertThatThrownBy(queue::createSchema).isInstanceOf(CsrQueueException.class).hasMessageContaining("version 2");
    }

    @Test
    void aDatabaseWithoutTheSchemaIsRefusedWithAClearError() throws Exception {
        try (CsrQueue empty = CsrQueue.open(newJdbcUrl())) {
            assertThatThrownBy(empty::checkSchema).isInstanceOf(CsrQueueException.class)
                    .hasMessageContaining("has no schema in this database (no table keyward_csr_queue_schema)");
        }
    }

    long insertRaw(byte[] csr) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement s = c.prepareStatement("INSERT INTO keyward_csr_queue (csr, identifiers, directory_url, account,"
                     + " solvers, state, attempts, next_attempt_at, created_at, updated_at)"
                     + " VALUES (?, '', ?, 'default', '', 'pending', 0, ?, ?, ?)", new String[] {"id"})) {
            s.setBytes(1, csr);
            s.setString(2, directory.toString());
            s.setObject(3, CsrQueue.time(Instant.now()));
            s.setObject(4, CsrQueue.time(Instant.now()));
            s.setObject(5, CsrQueue.time(Instant.now()));
            s.executeUpdate();
            try (var keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    String reason(long id) throws CsrQueueException {
        return queue.get(id).orElseThrow().failureReason().orElseThrow();
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        for (var c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes()))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    static Map<CsrState, Long> counts(CsrQueue q) throws CsrQueueException {
        return q.counts();
    }

    /** The system clock moved ahead, to pass a lease without waiting. */
    static final class ShiftedClock implements AcmeClock {
        private final Duration shift;

        ShiftedClock(Duration shift) {
            this.shift = shift;
        }

        @Override
        public Instant now() {
            return Instant.now().plus(shift);
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            AcmeClock.system().sleep(duration);
        }
    }
}
