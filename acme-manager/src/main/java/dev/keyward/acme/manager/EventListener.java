package dev.keyward.acme.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Hears what the manager does with each certificate set, in the style of OkHttp's
 * {@code EventListener}: every method has an empty default, so methods can be added later without
 * breaking anyone. Called on the thread doing the work (the manager's scheduler thread, or the
 * caller of {@link CertificateManager#start()}, {@link CertificateManager#renewNow} or
 * {@link CertificateManager#runDueWork()}); a method that throws is logged and ignored.
 * {@link #logging()} logs every event through SLF4J.
 *
 * <p>Per-request events (ACME requests, retries, {@code badNonce}, polls, nonce-pool misses) are
 * not reported: acme-core has no hooks for them yet.
 */
public interface EventListener {
    /** A listener that does nothing: the default. */
    EventListener NONE = new EventListener() { };

    /**
     * A listener that logs every event through SLF4J, on the logger
     * {@code dev.keyward.acme.manager.CertificateManager}: failures and expiry warnings at WARN,
     * the rest at INFO.
     *
     * @return the listener
     */
    static EventListener logging() {
        return LoggingEventListener.INSTANCE;
    }

    /**
     * A certificate from storage is being served.
     *
     * @param set the set's name
     * @param certificate the certificate
     */
    default void certificateLoaded(String set, ManagedCertificate certificate) {
    }

    /**
     * An issuance (RFC 8555 section 7.4) begins: a first certificate or a renewal.
     *
     * @param set the set's name
     * @param replacing the certificate being renewed, empty for a first issuance
     */
    default void issuanceStarted(String set, Optional<ManagedCertificate> replacing) {
    }

    /**
     * An issuance succeeded; the certificate is stored and served.
     *
     * @param set the set's name
     * @param certificate the new certificate
     */
    default void issuanceSucceeded(String set, ManagedCertificate certificate) {
    }

    /**
     * An issuance failed; it is tried again at {@code nextAttempt} ({@link RenewalPolicy#retryTime}).
     *
     * @param set the set's name
     * @param failure why
     * @param consecutiveFailures how many attempts failed in a row
     * @param nextAttempt when the next attempt is scheduled
     */
    default void issuanceFailed(String set, Exception failure, int consecutiveFailures, Instant nextAttempt) {
    }

    /**
     * The renewal of the current certificate is scheduled (or rescheduled, for example after a
     * new ARI window, RFC 9773 section 4.2).
     *
     * @param set the set's name
     * @param at when
     * @param basis {@code "ari"}, {@code "ari-window-past"}, {@code "lifetime"} or {@code "revoked"}
     */
    default void renewalScheduled(String set, Instant at, String basis) {
    }

    /**
     * Fetching ACME Renewal Information failed; the schedule stays as it was and the CA is asked
     * again later.
     *
     * @param set the set's name
     * @param failure why
     */
    default void renewalInfoFailed(String set, Exception failure) {
    }

    /**
     * The served certificate was swapped for a new one, atomically: new handshakes get the new one.
     *
     * @param set the set's name
     * @param previous the certificate served before, if any
     * @param current the certificate served now
     */
    default void certificateReplaced(String set, Optional<ManagedCertificate> previous, ManagedCertificate current) {
    }

    /**
     * A certificate is about to expire and has not been renewed: fires once per
     * {@linkplain RenewalPolicy.Builder#expiryWarnings threshold}.
     *
     * @param set the set's name
     * @param certificate the certificate
     * @param remaining how long it is still valid
     * @param threshold the threshold crossed
     */
    default void expiryWarning(String set, ManagedCertificate certificate, Duration remaining, Duration threshold) {
    }
}
