package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeRateLimitedException;
import dev.keyward.acme.Problem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager's schedule driven by a fake clock, a stub issuer and a stub ARI source: no CA, no waiting. */
class CertificateManagerSchedulingTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofDays(90);

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(T0);
    private final RecordingListener events = new RecordingListener();
    private final StubIssuer issuer = new StubIssuer();
    private final StubRenewalInfo ari = new StubRenewalInfo();
    private final AcmeCa ca = AcmeCa.builder(URI.create("https://ca.test/directory")).build();
    private final List<CertificateManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(CertificateManager::close);
    }

    private CertificateManager manager(String... sets) throws IOException {
        CertificateManager.Builder builder = CertificateManager.builder()
                .storage(CertificateStorage.files(dir))
                .clock(clock)
                .random(new Random(42))
                .renewalInfoSource(ari)
                .eventListener(events)
                .backgroundScheduling(false)
                .issuer(issuer);
        for (String set : sets) {
            builder.add(CertificateSet.builder(set).domains(set + ".example.test").ca(ca).build());
        }
        CertificateManager manager = builder.build();
        managers.add(manager);
        return manager;
    }

    @Test
    void startIssuesWhatIsMissingAndSchedulesTheRenewalWhenAThirdOfTheLifetimeRemains() throws Exception {
        CertificateManager manager = manager("www", "api");
        manager.start();

        assertThat(events.named("started")).containsExactly("started www first", "started api first");
        assertThat(manager.certificate("www")).isPresent();
        Instant renewal = manager.nextIssuance("www").orElseThrow();
        Instant base = T0.plus(LIFETIME).minus(LIFETIME.dividedBy(3));
        assertThat(renewal).isBetween(base.minus(LIFETIME.dividedBy(20)), base);
        assertThat(events.named("scheduled www lifetime")).hasSize(1);

        clock.set(renewal.minusSeconds(1));
        manager.runDueWork();
        assertThat(issuer.calls).hasSize(2);
        clock.set(renewal);
        manager.runDueWork();
        assertThat(issuer.calls).hasSize(3);
        assertThat(issuer.calls.get(2)).as("a renewal sends replaces").isEqualTo("www replacing");
        assertThat(events.named("replaced www")).hasSize(2);
    }

    @Test
    void aRestartedManagerServesTheStoredCertificateAndOrdersNothing() throws Exception {
        CertificateManager first = manager("www");
        first.start();
        X509Certificate issued = first.certificate("www").orElseThrow().leaf();
        first.close();
        events.events.clear();

        CertificateManager second = manager("www");
        second.start();

        assertThat(second.certificate("www").orElseThrow().leaf()).isEqualTo(issued);
        assertThat(events.events).contains("loaded www").noneMatch(e -> e.startsWith("started"));
        assertThat(issuer.calls).hasSize(1);
    }

    @Test
    void anAriWindowDecidesTheRenewalAndIsRecheckedAtTheCasRetryAfter() throws Exception {
        ari.window = at -> Optional.of(RenewalWindow.of(at.plus(Duration.ofDays(50)), at.plus(Duration.ofDays(52)),
                at.plus(Duration.ofHours(3)), null));
        CertificateManager manager = manager("www");
        manager.start();
        Instant issuedAt = clock.now();

        Instant renewal = manager.nextIssuance("www").orElseThrow();
        assertThat(renewal).isBetween(issuedAt.plus(Duration.ofDays(50)), issuedAt.plus(Duration.ofDays(52)));
        assertThat(events.named("scheduled www ari ")).hasSize(1);
        assertThat(ari.checks).isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        manager.runDueWork();
        assertThat(ari.checks).as("not before Retry-After").isEqualTo(1);

        // the CA moves the window into the past (for example after a mass revocation)
        ari.window = at -> Optional.of(RenewalWindow.of(T0.minus(Duration.ofDays(2)), T0.minus(Duration.ofDays(1)), null, null));
        clock.advance(Duration.ofHours(1));
        manager.runDueWork();

        assertThat(ari.checks).isGreaterThanOrEqualTo(2);
        assertThat(events.events).anyMatch(e -> e.startsWith("scheduled www ari-window-past"));
        assertThat(issuer.calls).containsExactly("www first", "www replacing");
    }

    @Test
    void aCertificateTheCaRevokedIsRenewedAtOnce() throws Exception {
        CertificateManager manager = manager("www");
        manager.start();

        manager.certificateRevoked("www");
        assertThat(manager.nextIssuance("www")).contains(clock.now());
        manager.runDueWork();

        assertThat(issuer.calls).containsExactly("www first", "www replacing");
        assertThat(events.events).anyMatch(e -> e.startsWith("scheduled www revoked"));
        assertThat(manager.nextIssuance("www").orElseThrow()).isAfter(clock.now().plus(Duration.ofDays(50)));
    }

    @Test
    void failuresBackOffAndARateLimitsRetryAfterIsHonoured() throws Exception {
        Instant retryAfter = T0.plus(Duration.ofHours(3));
        issuer.failures.add(new AcmeRateLimitedException(Problem.of(
                URI.create("urn:ietf:params:acme:error:rateLimited"), "too many certificates", 429), retryAfter));
        issuer.failures.add(new AcmeException("connection refused"));
        CertificateManager manager = manager("www");
        manager.start();

        assertThat(manager.certificate("www")).isEmpty();
        assertThat(manager.nextIssuance("www")).contains(retryAfter);
        assertThat(events.named("failed")).containsExactly("failed www 1 next " + retryAfter);

        clock.set(retryAfter.minusSeconds(1));
        manager.runDueWork();
        assertThat(issuer.calls).hasSize(1);

        clock.set(retryAfter);
        manager.runDueWork();
        assertThat(events.named("failed")).hasSize(2).last().isEqualTo("failed www 2 next " + retryAfter.plus(Duration.ofMinutes(2)));

        clock.advance(Duration.ofMinutes(2));
        manager.runDueWork();
        assertThat(manager.certificate("www")).isPresent();
        assertThat(manager.nextIssuance("www").orElseThrow()).isAfter(clock.now().plus(Duration.ofDays(50)));
    }

    @Test
    void renewalFailuresRetryWellInsideTheRemainingLifetimeAndWarnBeforeExpiry() throws Exception {
        CertificateManager manager = manager("www");
        manager.start();
        Instant notAfter = manager.certificate("www").orElseThrow().notAfter();
        for (int i = 0; i < 1000; i++) {
            issuer.failures.add(new AcmeException("the CA is down"));
        }

        clock.set(notAfter.minus(Duration.ofDays(8)));
        int warningsBefore = events.named("expiry").size();
        while (clock.now().isBefore(notAfter.minus(Duration.ofMinutes(30)))) {
            Instant due = manager.nextIssuance("www").orElseThrow();
            Instant remaining = notAfter;
            if (due.isAfter(clock.now())) {
                assertThat(Duration.between(clock.now(), due))
                        .isLessThanOrEqualTo(Duration.between(clock.now(), remaining).dividedBy(10).plusSeconds(1));
                clock.set(due);
            }
            manager.runDueWork();
        }

        assertThat(warningsBefore).isZero();
        assertThat(events.named("expiry")).containsExactly("expiry www PT168H", "expiry www PT72H", "expiry www PT24H");
        assertThat(manager.certificate("www").orElseThrow().notAfter()).as("still the old one").isEqualTo(notAfter);
    }

    @Test
    void renewNowThrowsTheFailureAndUnknownSetsAreRefused() throws Exception {
        CertificateManager manager = manager("www");
        manager.start();
        issuer.failures.add(new AcmeException("nope"));

        assertThatThrownBy(() -> manager.renewNow("www")).isInstanceOf(AcmeException.class).hasMessage("nope");
        assertThatThrownBy(() -> manager.renewNow("other")).isInstanceOf(IllegalArgumentException.class);
        assertThat(manager.renewNow("www").leaf()).isNotNull();
    }

    @Test
    void checkSaysWhatIsDueAndWhyAfterOneRenewalInfoFetchAndOrdersNothing() throws Exception {
        CertificateManager first = manager("www");
        first.load();
        RenewalCheck missing = first.check("www");
        assertThat(missing.isDue()).isTrue();
        assertThat(missing.reason()).isEqualTo("no certificate");
        assertThat(ari.checks).as("nothing to ask about yet").isZero();
        first.renewNow("www");
        first.close();
        int checksAfterIssuance = ari.checks;

        ari.window = at -> Optional.of(RenewalWindow.of(at.plus(Duration.ofDays(50)), at.plus(Duration.ofDays(52)),
                null, null));
        CertificateManager second = manager("www");
        second.load();
        assertThat(issuer.calls).hasSize(1);
        assertThat(ari.checks).as("load asks nothing").isEqualTo(checksAfterIssuance);
        RenewalCheck notDue = second.check("www");
        assertThat(notDue.isDue()).isFalse();
        assertThat(notDue.reason()).isEqualTo("ari");
        assertThat(notDue.dueAt()).isEqualTo(T0.plus(Duration.ofDays(50)));
        assertThat(ari.checks).isEqualTo(checksAfterIssuance + 1);

        clock.set(T0.plus(Duration.ofDays(50)).plusSeconds(1));
        RenewalCheck started = second.check("www");
        assertThat(started.isDue()).isTrue();
        assertThat(started.reason()).isEqualTo("ari window started");
        assertThat(started.window()).isPresent();
        assertThat(issuer.calls).as("check orders nothing").hasSize(1);

        second.certificateRevoked("www");
        assertThat(second.check("www").reason()).isEqualTo("revoked");
        ari.window = at -> Optional.empty();
        clock.set(T0.plus(Duration.ofDays(10)));
        CertificateManager third = manager("www");
        RenewalCheck lifetime = third.check("www");
        assertThat(lifetime.isDue()).isFalse();
        assertThat(lifetime.reason()).isEqualTo("lifetime");
        assertThat(lifetime.dueAt()).isBetween(T0.plus(Duration.ofDays(55)), T0.plus(Duration.ofDays(60)));
    }

    @Test
    void maxRenewalInfoIntervalAsksBeforeTheCasRetryAfter() throws Exception {
        ari.window = at -> Optional.of(RenewalWindow.of(at.plus(Duration.ofDays(50)), at.plus(Duration.ofDays(52)),
                at.plus(Duration.ofHours(6)), null));
        CertificateManager manager = CertificateManager.builder()
                .storage(CertificateStorage.files(dir)).clock(clock).random(new Random(42))
                .renewalInfoSource(ari).eventListener(events).backgroundScheduling(false).issuer(issuer)
                .maxRenewalInfoInterval(Duration.ofMinutes(5))
                .add(CertificateSet.builder("www").domains("www.example.test").ca(ca).build())
                .build();
        managers.add(manager);
        manager.start();
        int checks = ari.checks;

        clock.advance(Duration.ofMinutes(4));
        manager.runDueWork();
        assertThat(ari.checks).isEqualTo(checks);
        clock.advance(Duration.ofMinutes(1));
        manager.runDueWork();
        assertThat(ari.checks).as("5 minutes, not the CA's 6 hours").isEqualTo(checks + 1);
        assertThatThrownBy(() -> CertificateManager.builder().maxRenewalInfoInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void managersSharingAStorageIssueEachRenewalOnceAndServeWhatTheOtherStored() throws Exception {
        CertificateStorage shared = CertificateStorage.files(dir);
        CertificateManager first = sharing(shared, 42);
        CertificateManager second = sharing(shared, 7);
        first.start();
        second.start();
        assertThat(issuer.calls).as("the second finds the first's certificate in storage").containsExactly("www first");
        assertThat(second.certificate("www").orElseThrow().leaf()).isEqualTo(first.certificate("www").orElseThrow().leaf());

        Instant bothDue = latest(first.nextIssuance("www").orElseThrow(), second.nextIssuance("www").orElseThrow());
        clock.set(bothDue);
        first.runDueWork();
        second.runDueWork();

        assertThat(issuer.calls).as("one renewal for both").containsExactly("www first", "www replacing");
        assertThat(second.certificate("www").orElseThrow().leaf()).isEqualTo(first.certificate("www").orElseThrow().leaf());
        assertThat(second.nextIssuance("www").orElseThrow()).isAfter(clock.now().plus(Duration.ofDays(50)));

        // the second is due while the first is issuing: it finds the lock held, sends nothing, looks again later
        clock.set(latest(first.nextIssuance("www").orElseThrow(), second.nextIssuance("www").orElseThrow()));
        Instant whileHeld = clock.now();
        issuer.duringIssue = second::runDueWork;
        first.runDueWork();
        issuer.duringIssue = () -> { };
        assertThat(issuer.calls).hasSize(3);
        assertThat(second.nextIssuance("www")).contains(whileHeld.plus(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(30));
        second.runDueWork();
        assertThat(issuer.calls).hasSize(3);
        assertThat(second.certificate("www").orElseThrow().leaf()).isEqualTo(first.certificate("www").orElseThrow().leaf());
        assertThatThrownBy(() -> CertificateManager.builder().lockRetryInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private CertificateManager sharing(CertificateStorage storage, long seed) {
        CertificateManager manager = CertificateManager.builder().storage(storage).clock(clock).random(new Random(seed))
                .renewalInfoSource(ari).eventListener(events).backgroundScheduling(false).issuer(issuer)
                .lockRetryInterval(Duration.ofSeconds(30))
                .add(CertificateSet.builder("www").domains("www.example.test").ca(ca).build())
                .build();
        managers.add(manager);
        return manager;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Issues a certificate of LIFETIME from the fake clock's now, or throws the next queued failure. */
    private final class StubIssuer implements Issuer {
        final List<String> calls = new ArrayList<>();
        final Deque<AcmeException> failures = new ArrayDeque<>();
        Runnable duringIssue = () -> { };

        @Override
        public List<X509Certificate> issue(CertificateSet set, CertificateKey key, URI resumeOrder,
                X509Certificate replacing, OrderSink sink) throws AcmeException, IOException {
            calls.add(set.name() + (replacing == null ? " first" : " replacing"));
            sink.orderCreated(URI.create("https://ca.test/order/" + calls.size()));
            duringIssue.run();
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            Instant now = clock.now();
            return List.of(TestCertificates.leaf(set.identifiers().get(0).value(), key.signer.publicKey(), now,
                    now.plus(LIFETIME)));
        }

        @Override
        public AcmeClient client(AcmeCa ca) {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static final class StubRenewalInfo implements RenewalInfoSource {
        java.util.function.Function<Instant, Optional<RenewalWindow>> window = at -> Optional.empty();
        int checks;

        @Override
        public Optional<RenewalWindow> renewalWindow(AcmeClient client, X509Certificate certificate) {
            checks++;
            return window.apply(certificate.getNotBefore().toInstant());
        }
    }
}
