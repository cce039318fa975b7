package dev.keyward.acme.manager;

import dev.keyward.acme.RenewalInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The renewal window a CA suggests for one certificate (ACME Renewal Information, RFC 9773
 * section 4.2), as the manager uses it: the window, the CA's {@code Retry-After} (section 4.3)
 * and an optional explanation. Immutable; made from acme-core's {@link RenewalInfo} by
 * {@link #of(RenewalInfo)}, or directly by {@link #of(Instant, Instant, Instant, URI)} (for a
 * {@link RenewalInfoSource} of the caller's, or a test).
 */
public final class RenewalWindow {
    /** How long to wait before asking again when the CA sends no {@code Retry-After}: 6 hours (RFC 9773 section 4.3). */
    public static final Duration DEFAULT_RECHECK = RenewalInfo.DEFAULT_RECHECK;

    private final Instant start;
    private final Instant end;
    private final Instant retryAfter;
    private final URI explanationUrl;

    private RenewalWindow(Instant start, Instant end, Instant retryAfter, URI explanationUrl) {
        this.start = start;
        this.end = end;
        this.retryAfter = retryAfter;
        this.explanationUrl = explanationUrl;
    }

    /**
     * A window.
     *
     * @param start the start of the suggested window
     * @param end the end of the suggested window, after {@code start}
     * @param retryAfter when the CA wants to be asked again, or {@code null} when it did not say
     * @param explanationUrl the CA's explanation, or {@code null}
     * @return the window
     * @throws IllegalArgumentException if {@code end} is not after {@code start}
     */
    public static RenewalWindow of(Instant start, Instant end, Instant retryAfter, URI explanationUrl) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a renewal window's end " + end + " must be after its start " + start);
        }
        return new RenewalWindow(start, end, retryAfter, explanationUrl);
    }

    /**
     * The window of acme-core's renewal information.
     *
     * @param info the information fetched by {@code AcmeClient.fetchRenewalInfo}
     * @return the window
     */
    public static RenewalWindow of(RenewalInfo info) {
        return of(info.windowStart(), info.windowEnd(), info.retryAfter().orElse(null),
                info.explanationUrl().orElse(null));
    }

    /** @return the start of the suggested window */
    public Instant start() {
        return start;
    }

    /** @return the end of the suggested window */
    public Instant end() {
        return end;
    }

    /** @return the CA's {@code Retry-After}, if it sent one */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** @return the CA's explanation of the window, if it gave one */
    public Optional<URI> explanationUrl() {
        return Optional.ofNullable(explanationUrl);
    }

    /**
     * When to ask the CA again (RFC 9773 section 4.3): its {@code Retry-After} if that is after
     * {@code now}, else {@link #DEFAULT_RECHECK} after {@code now}.
     *
     * @param now the current instant
     * @return the next check
     */
    public Instant nextCheck(Instant now) {
        return retryAfter != null && retryAfter.isAfter(now) ? retryAfter : now.plus(DEFAULT_RECHECK);
    }

    @Override
    public String toString() {
        return "RenewalWindow{" + start + " .. " + end + (retryAfter != null ? ", retry after " + retryAfter : "")
                + (explanationUrl != null ? ", " + explanationUrl : "") + "}";
    }
}
