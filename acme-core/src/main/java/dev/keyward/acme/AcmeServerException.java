package dev.keyward.acme;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The server refused a request with a problem document (RFC 8555 section 6.7, RFC 7807), or a
 * resource reached the {@code invalid} status with one. The {@link #problem()} carries the
 * document: its type, detail, identifier and subproblems.
 *
 * <p>Subclasses for the problems a caller usually handles differently:
 * {@link AcmeRateLimitedException}, {@link AcmeUnauthorizedException} and
 * {@link AcmeUserActionRequiredException}.
 */
public class AcmeServerException extends AcmeException {
    private static final long serialVersionUID = 1L;

    /** The problem document. */
    private final Problem problem;
    /** The instant of {@code Retry-After}, or {@code null}. */
    private final Instant retryAfter;

    /**
     * Creates the exception.
     *
     * @param problem the server's problem document
     * @param retryAfter when the server said the request may be retried, or {@code null}
     */
    public AcmeServerException(Problem problem, Instant retryAfter) {
        super(Objects.requireNonNull(problem, "problem").toString());
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    /**
     * Creates the exception with a prefix naming what the problem is about.
     *
     * @param problem the server's problem document
     * @param retryAfter when the server said the request may be retried, or {@code null}
     * @param subject what the problem concerns, for example {@code "www.example.com (http-01)"}
     */
    protected AcmeServerException(Problem problem, Instant retryAfter, String subject) {
        super(subject + ": " + Objects.requireNonNull(problem, "problem"));
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    /**
     * The problem document the server sent.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }

    /**
     * The instant from the response's {@code Retry-After} header, if it had one.
     *
     * @return when to retry, or empty
     */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
