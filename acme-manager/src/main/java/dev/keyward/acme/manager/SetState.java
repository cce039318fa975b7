package dev.keyward.acme.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The manager's mutable state of one set; guarded by the manager's lock, {@link #current} read freely. */
final class SetState {
    final CertificateSet set;
    volatile ManagedCertificate current;
    Optional<RenewalWindow> window = Optional.empty();
    Instant renewAt;
    String basis;
    Instant nextRenewalInfoCheck;
    int failures;
    Instant nextAttempt;
    Optional<Duration> lastWarned = Optional.empty();
    boolean revoked;
    /** While another manager holds the set's storage lock: when to look again. */
    Instant busyUntil;

    SetState(CertificateSet set) {
        this.set = set;
    }

    /** When an issuance is due: the retry after failures, else the renewal; null when none is scheduled. */
    Instant issuanceDue() {
        Instant due = failures > 0 || current == null ? nextAttempt : renewAt;
        return due != null && busyUntil != null && busyUntil.isAfter(due) ? busyUntil : due;
    }
}
