package dev.keyward.acme.manager;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CertificateManager#check(String)} found for one set: whether an issuance is due now,
 * why, and otherwise when it will be. Immutable.
 *
 * <p>Due when the set has no certificate yet ({@code "no certificate"}), when it has expired
 * ({@code "expired"}), when it was {@linkplain CertificateManager#certificateRevoked reported revoked}
 * ({@code "revoked"}), when the CA's renewal window (RFC 9773 section 4.2) has started
 * ({@code "ari window started"}), or, when the CA offers no window, when the lifetime-based
 * renewal time of {@link RenewalPolicy} has come ({@code "lifetime"}). A cron-style caller renews
 * as soon as the window has started, since it will not be running at the random time within it
 * that the background schedule picks.
 */
public final class RenewalCheck {
    private final String setName;
    private final ManagedCertificate current;
    private final RenewalWindow window;
    private final boolean due;
    private final String reason;
    private final Instant dueAt;

    RenewalCheck(String setName, ManagedCertificate current, RenewalWindow window, boolean due, String reason,
            Instant dueAt) {
        this.setName = Objects.requireNonNull(setName, "setName");
        this.current = current;
        this.window = window;
        this.due = due;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.dueAt = Objects.requireNonNull(dueAt, "dueAt");
    }

    /** @return the set's name */
    public String setName() {
        return setName;
    }

    /** @return the certificate served now, empty before the first issuance */
    public Optional<ManagedCertificate> current() {
        return Optional.ofNullable(current);
    }

    /** @return the CA's renewal window of the current certificate, when it offers one */
    public Optional<RenewalWindow> window() {
        return Optional.ofNullable(window);
    }

    /** @return whether an issuance (first or renewal) is due now */
    public boolean isDue() {
        return due;
    }

    /**
     * @return why it is due or when it will be: {@code "no certificate"}, {@code "expired"},
     *     {@code "revoked"}, {@code "ari window started"} or {@code "lifetime"} when due;
     *     {@code "ari"} or {@code "lifetime"} when not
     */
    public String reason() {
        return reason;
    }

    /** @return when it is or will be due: the check's instant when due, else the window's start or the lifetime-based time */
    public Instant dueAt() {
        return dueAt;
    }

    @Override
    public String toString() {
        return "RenewalCheck{" + setName + (due ? ", due: " : ", not due until " + dueAt + ": ") + reason + "}";
    }
}
