package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeEventListener;
import java.net.URI;
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
 * <p>One listener hears both layers: it extends acme-core's {@link AcmeEventListener}, and the
 * manager installs it on the {@link dev.keyward.acme.AcmeClient} of every CA it orders from, so
 * the same object also hears each ACME request with its status and duration, retries,
 * {@code badNonce}, nonce-pool misses, {@code rateLimited} answers and polls (RFC 8555 sections
 * 6.5, 6.6, 7.2, 7.5.1). Those request events carry no set name: the manager works on one set
 * at a time, between {@link #issuanceStarted} and {@link #issuanceSucceeded} or
 * {@link #issuanceFailed} (renewal-information checks fire request events outside that pair).
 * A listener that throws never breaks a request or an issuance.
 */
public interface EventListener extends AcmeEventListener {
    /** A listener that does nothing: the default. */
    EventListener NONE = new EventListener() { };

    /**
     * A listener that logs every event through SLF4J, on the logger
     * {@code dev.keyward.acme.manager.CertificateManager}: failures and expiry warnings at WARN,
     * the rest of the manager's events at INFO, and acme-core's request events (requests, retries,
     * {@code badNonce}, polls, nonce-pool misses) at DEBUG, except {@code rateLimited} at WARN.
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

    /**
     * The account of a CA was replaced by {@link CertificateManager#contain}: a new account with a
     * new key now orders for every set of that CA (RFC 8555 section 7.3), and the old account is
     * being contained (its authorizations and the account deactivated, sections 7.5.2 and 7.3.6).
     *
     * @param directoryUrl the CA's directory URL
     * @param previous the old account's URL
     * @param current the new account's URL
     */
    default void accountReplaced(URI directoryUrl, URI previous, URI current) {
    }
}
