package dev.keyward.acme;

import java.time.Duration;
import java.util.Set;

/**
 * Proves control of an identifier by answering challenges of some types (RFC 8555 section 8):
 * the extension point of the issuance flow ({@link IssuanceRequest.Builder#solvers}). A solver
 * publishes the answer of a challenge ({@link #deploy}) and takes it down again ({@link #remove}),
 * which the flow does in every outcome: success, failure, deadline or interruption.
 *
 * <p>Ready solvers: {@link Http01Server} (http-01 from an embedded JDK HTTP server),
 * {@link Http01Lookup} (http-01 answered by the caller's own server through a token lookup) and
 * {@link Dns01Solver} (dns-01 through a {@link DnsProvider}). A new challenge type is one more
 * implementation: the {@link Challenge} carries the identifier, the token, the key authorization
 * (section 8.1) and every field the CA sent.
 *
 * <p>Implementations must be thread-safe: one solver may serve concurrent issuances.
 */
public interface ChallengeSolver {
    /**
     * The challenge types this solver answers, for example {@code Set.of("http-01")}.
     *
     * @return the types, not empty
     */
    Set<String> challengeTypes();

    /**
     * Whether this solver can prove the authorization's identifier at all (a DNS provider that
     * manages only some zones, http-01 and a wildcard). Defaults to {@code true}.
     *
     * @param authorization a pending authorization
     * @return true if {@link #deploy} may be called for its challenges
     */
    default boolean canSolve(Authorization authorization) {
        return true;
    }

    /**
     * Publishes the answer to a challenge so the CA can validate it, before the flow tells the
     * CA to look (section 7.5.1).
     *
     * @param challenge the challenge, of one of {@link #challengeTypes()}
     * @throws AcmeSolverException if the answer cannot be published
     */
    void deploy(Challenge challenge) throws AcmeSolverException;

    /**
     * Takes the answer down. Called once for every challenge that {@link #deploy} was called
     * for, whatever the outcome; must not throw (a failure to clean up is for the solver to log).
     *
     * @param challenge the challenge given to {@link #deploy}
     */
    void remove(Challenge challenge);

    /**
     * Waits until the CA has looked at the answer, when the solver can tell (an HTTP server sees
     * the validator's request); the flow then polls the authorization once instead of guessing.
     * The default returns {@code false} at once: polling alone decides.
     *
     * @param challenge a deployed challenge
     * @param timeout the longest time to wait
     * @return true if the CA has looked; false if the solver cannot tell or the time ran out
     * @throws InterruptedException if the thread is interrupted
     */
    default boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
        return false;
    }
}
