package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Status;
import java.net.URI;
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
    public void accountReplaced(URI directoryUrl, URI previous, URI current) {
        LOG.warn("{}: the account {} was replaced by {} and is being contained", directoryUrl, previous, current);
    }

    @Override
    public void requestEnd(String method, URI url, int status, Duration duration) {
        LOG.debug("{} {} -> {} in {} ms", method, url, status, duration.toMillis());
    }

    @Override
    public void requestFailed(String method, URI url, Exception failure, Duration duration) {
        LOG.debug("{} {} failed after {} ms: {}", method, url, duration.toMillis(), failure.toString());
    }

    @Override
    public void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
        LOG.debug("{} {}: retry {} in {} ms after {}", method, url, attempt, delay.toMillis(), reason.toString());
    }

    @Override
    public void badNonce(URI url, int attempt) {
        LOG.debug("POST {}: badNonce {}, sent again with the error's nonce", url, attempt);
    }

    @Override
    public void nonceMiss(URI newNonceUrl) {
        LOG.debug("nonce pool empty: fetching {}", newNonceUrl);
    }

    @Override
    public void rateLimited(URI url, Optional<Instant> retryAfter) {
        LOG.warn("{}: the CA answered rateLimited{}", url, retryAfter.map(t -> ", retry after " + t).orElse(""));
    }

    @Override
    public void poll(URI url, Status status, Duration nextDelay) {
        LOG.debug("{} is {}: polling again in {} ms", url, status.value(), nextDelay.toMillis());
    }

    @Override
    public String toString() {
        return "EventListener.logging()";
    }
}
