package dev.keyward.acme.jdbc;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of the queue as read by {@link CsrQueue#get(long)}: the request, its state, attempts,
 * next attempt time, the order URL (RFC 8555 section 7.1.3) once a worker created the order, and
 * the outcome: the certificate chain (PEM, leaf first), or the failure reason with the CA's
 * problem document (RFC 7807) as JSON. Immutable.
 */
public final class QueuedCsr {
    private final long id;
    private final CsrState state;
    private final List<String> identifiers;
    private final URI directory;
    private final String account;
    private final String profile;
    private final int attempts;
    private final Instant nextAttemptAt;
    private final URI orderUrl;
    private final String chainPem;
    private final String failureReason;
    private final String problemJson;

    QueuedCsr(long id, CsrState state, List<String> identifiers, URI directory, String account, String profile,
              int attempts, Instant nextAttemptAt, URI orderUrl, String chainPem, String failureReason,
              String problemJson) {
        this.id = id;
        this.state = state;
        this.identifiers = List.copyOf(identifiers);
        this.directory = directory;
        this.account = account;
        this.profile = profile;
        this.attempts = attempts;
        this.nextAttemptAt = nextAttemptAt;
        this.orderUrl = orderUrl;
        this.chainPem = chainPem;
        this.failureReason = failureReason;
        this.problemJson = problemJson;
    }

    /** @return the row's id */
    public long id() {
        return id;
    }

    /** @return the state */
    public CsrState state() {
        return state;
    }

    /** @return the identifiers of the CSR, as {@code dns:NAME} or {@code ip:ADDRESS}; empty for a bad CSR */
    public List<String> identifiers() {
        return identifiers;
    }

    /** @return the CA's directory URL */
    public URI directory() {
        return directory;
    }

    /** @return the account name */
    public String account() {
        return account;
    }

    /** @return the profile, if any */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** @return how many times a worker claimed it, rate-limited attempts not counted */
    public int attempts() {
        return attempts;
    }

    /** @return when a worker may next claim it (for a {@code pending} row) */
    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    /** @return the order URL, once a worker created the order */
    public Optional<URI> orderUrl() {
        return Optional.ofNullable(orderUrl);
    }

    /** @return the certificate chain as PEM, leaf first, once {@code issued} */
    public Optional<String> chainPem() {
        return Optional.ofNullable(chainPem);
    }

    /** @return why it failed (or why the last attempt failed, for a row to be retried) */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    /** @return the CA's problem document as JSON, when the CA sent one */
    public Optional<String> problemJson() {
        return Optional.ofNullable(problemJson);
    }

    @Override
    public String toString() {
        return "QueuedCsr{" + id + ", " + state.sqlName() + ", " + identifiers + ", attempts " + attempts
                + (orderUrl != null ? ", " + orderUrl : "") + (failureReason != null ? ", " + failureReason : "") + "}";
    }
}
