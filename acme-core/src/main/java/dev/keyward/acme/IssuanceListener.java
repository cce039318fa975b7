package dev.keyward.acme;

import java.time.Duration;

/**
 * Hears what the issuance flow ({@link Account#issue(IssuanceRequest)}) does, step by step
 * (RFC 8555 sections 7.4, 7.5 and 8). Every method has an empty default, so methods can be added
 * later without breaking anyone. Called on the issuing thread; a method that throws a
 * {@link RuntimeException} ends the issuance with it (the deployed answers are still removed).
 */
public interface IssuanceListener {
    /** A listener that does nothing: the default. */
    IssuanceListener NONE = new IssuanceListener() { };

    /**
     * The order exists and its URL is known, whether created or resumed: store
     * {@link Order#url()} to resume after a crash ({@link IssuanceRequest.Builder#resumeOrder}).
     *
     * @param order the order
     */
    default void orderCreated(Order order) {
    }

    /**
     * An authorization was valid already (the CA reused an earlier one): no challenge is sent.
     * Not called when a new order is {@code ready} at once: then no authorization is fetched at
     * all, and {@link IssuanceResult#reusedAuthorizations()} counts them.
     *
     * @param authorization the valid authorization
     */
    default void authorizationReused(Authorization authorization) {
    }

    /**
     * A solver published the answer to a challenge.
     *
     * @param challenge the challenge
     * @param solver the solver that published it
     */
    default void challengeDeployed(Challenge challenge, ChallengeSolver solver) {
    }

    /**
     * The CA was told to validate a challenge (section 7.5.1).
     *
     * @param challenge the challenge as the CA answered
     */
    default void challengeAnswered(Challenge challenge) {
    }

    /**
     * An authorization became valid.
     *
     * @param authorization the valid authorization
     */
    default void authorizationValid(Authorization authorization) {
    }

    /**
     * The CSR is about to be sent: from now on a certificate may exist for the key, so a caller
     * that generated the key keeps it whatever happens next.
     *
     * @param order the order about to be finalized
     */
    default void finalizing(Order order) {
    }

    /**
     * The certificate was downloaded and checked against the key.
     *
     * @param order the valid order
     * @param chain the certificate chain
     */
    default void issued(Order order, CertificateChain chain) {
    }

    /**
     * A step failed for a reason that may pass and is tried again after {@code wait}, resuming
     * from the server's state.
     *
     * @param step what was being done, for example {@code "finalizing the order"}
     * @param failure why it failed
     * @param wait how long the flow waits first
     */
    default void retrying(String step, AcmeException failure, Duration wait) {
    }

    /**
     * The certificate was issued, but deactivating the authorizations afterwards failed
     * ({@link IssuanceRequest.Builder#deactivateAuthorizations}); the certificate is returned.
     *
     * @param order the valid order
     * @param failure why deactivation failed
     */
    default void deactivationFailed(Order order, AcmeException failure) {
    }
}
