package dev.keyward.acme.jdbc;

import java.util.Locale;

/**
 * The state of a queued CSR, as the {@code state} column spells it ({@link #sqlName()}):
 * {@code pending} until a worker claims it, {@code in_flight} while a worker holds its lease,
 * then {@code issued} or {@code failed}. A {@code pending} row may wait for its next attempt time.
 */
public enum CsrState {
    /** Waiting for a worker, from its next attempt time on. */
    PENDING,
    /** Claimed by a worker that holds its lease; taken over by another once the lease expires. */
    IN_FLIGHT,
    /** The certificate chain is stored. */
    ISSUED,
    /** Given up: the failure reason, and the CA's problem document when there was one, are stored. */
    FAILED;

    /** @return the value of the {@code state} column, for example {@code in_flight} */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state of a {@code state} column value.
     *
     * @param value for example {@code issued}
     * @return the state
     * @throws IllegalArgumentException for an unknown value
     */
    public static CsrState ofSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
