package dev.keyward.acme.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link EventListener#logging()}. */
final class LoggingEventListener implements EventListener {
    static final LoggingEventListener INSTANCE = new LoggingEventListener();
    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);

    private LoggingEventListener() {
    }

    @Override
    public void certificateLoaded(String set, ManagedCertificate certificate) {
        LOG.info("{}: serving the stored certificate {}", set, certificate);
    }

    @Override
    public void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
        LOG.info("{}: {}", set, replacing.map(c -> "renewing " + c).orElse("issuing a first certificate"));
    }

    @Override
    public void issuanceSucceeded(String set, ManagedCertificate certificate) {
        LOG.info("{}: issued {}", set, certificate);
    }

    @Override
    public void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
        LOG.warn("{}: issuance failed ({} in a row), next attempt at {}: {}", set, consecutiveFailures, nextAttempt,
                failure.toString());
    }

    @Override
    public void renewalScheduled(String set, Instant at, String basis) {
        LOG.info("{}: renewal scheduled at {} ({})", set, at, basis);
    }

    @Override
    public void renewalInfoFailed(String set, Exception failure) {
        LOG.warn("{}: fetching renewal information failed: {}", set, failure.toString());
    }

    @Override
    public void certificateReplaced(String set, Optional<ManagedCertificate> previous, ManagedCertificate current) {
        LOG.info("{}: now serving {}{}", set, current, previous.map(p -> " instead of " + p).orElse(""));
    }

    @Override
    public void expiryWarning(String set, ManagedCertificate certificate, Duration remaining, Duration threshold) {
        LOG.warn("{}: {} expires in {} and is not renewed yet", set, certificate, remaining);
    }

    @Override
    public String toString() {
        return "EventListener.logging()";
    }
}
