package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link EventListener} that records Micrometer metrics. Needs {@code io.micrometer:micrometer-core}
 * on the class path, which acme-manager declares optional: add it to use this class. Meters:
 * <ul>
 *   <li>{@code keyward.acme.requests} (timer; tags {@code method}, {@code status}: the HTTP
 *       status, or {@code IO_ERROR} for a request without a response): every ACME request;</li>
 *   <li>{@code keyward.acme.retries} (counter; tag {@code method}): requests repeated after a
 *       failure (RFC 8555 section 6.6);</li>
 *   <li>{@code keyward.acme.bad.nonces}, {@code keyward.acme.nonce.misses},
 *       {@code keyward.acme.rate.limited}, {@code keyward.acme.polls} (counters);</li>
 *   <li>{@code keyward.issuances} (counter; tags {@code set}, {@code outcome}
 *       {@code succeeded}/{@code failed}): issuances and renewals;</li>
 *   <li>{@code keyward.certificate.expiry} (gauge, seconds; tag {@code set}): the time until the
 *       served certificate of the set expires, negative once expired; registered when a set is
 *       first loaded or issued.</li>
 * </ul>
 * Thread-safe.
 */
public final class MicrometerEventListener implements EventListener {
    private final MeterRegistry registry;
    private final AcmeClock clock;
    private final Map<String, Instant> notAfter = new ConcurrentHashMap<>();

    private MicrometerEventListener(MeterRegistry registry, AcmeClock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * A listener recording into {@code registry}, judging expiry by the system clock.
     *
     * @param registry the registry
     * @return the listener
     */
    public static MicrometerEventListener create(MeterRegistry registry) {
        return create(registry, AcmeClock.system());
    }

    /**
     * A listener recording into {@code registry}, judging expiry by {@code clock} (give the
     * manager's clock).
     *
     * @param registry the registry
     * @param clock the clock of the expiry gauges
     * @return the listener
     */
    public static MicrometerEventListener create(MeterRegistry registry, AcmeClock clock) {
        return new MicrometerEventListener(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public void requestEnd(String method, URI url, int status, Duration duration) {
        requests(method, Integer.toString(status)).record(duration);
    }

    @Override
    public void requestFailed(String method, URI url, Exception failure, Duration duration) {
        requests(method, "IO_ERROR").record(duration);
    }

    private Timer requests(String method, String status) {
        return Timer.builder("keyward.acme.requests").description("ACME requests by method and HTTP status")
                .tag("method", method).tag("status", status).register(registry);
    }

    @Override
    public void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
        Counter.builder("keyward.acme.retries").description("ACME requests repeated after a failure")
                .tag("method", method).register(registry).increment();
    }

    @Override
    public void badNonce(URI url, int attempt) {
        registry.counter("keyward.acme.bad.nonces").increment();
    }

    @Override
    public void nonceMiss(URI newNonceUrl) {
        registry.counter("keyward.acme.nonce.misses").increment();
    }

    @Override
    public void rateLimited(URI url, Optional<Instant> retryAfter) {
        registry.counter("keyward.acme.rate.limited").increment();
    }

    @Override
    public void poll(URI url, dev.keyward.acme.Status status, Duration nextDelay) {
        registry.counter("keyward.acme.polls").increment();
    }

    @Override
    public void certificateLoaded(String set, ManagedCertificate certificate) {
        served(set, certificate);
    }

    @Override
    public void issuanceSucceeded(String set, ManagedCertificate certificate) {
        issuances(set, "succeeded").increment();
        served(set, certificate);
    }

    @Override
    public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
        issuances(set, "failed").increment();
    }

    private Counter issuances(String set, String outcome) {
        return Counter.builder("keyward.issuances").description("issuances and renewals of certificate sets")
                .tag("set", set).tag("outcome", outcome).register(registry);
    }

    private void served(String set, ManagedCertificate certificate) {
        if (notAfter.put(set, certificate.notAfter()) == null) {
            Gauge.builder("keyward.certificate.expiry", notAfter,
                            m -> Duration.between(clock.now(), m.get(set)).toMillis() / 1000.0)
                    .description("seconds until the served certificate of the set expires")
                    .baseUnit("seconds").tag("set", set).strongReference(true).register(registry);
        }
    }

    @Override
    public String toString() {
        return "MicrometerEventListener{" + registry.getClass().getSimpleName() + "}";
    }
}
