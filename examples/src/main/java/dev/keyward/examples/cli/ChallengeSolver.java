package dev.keyward.examples.cli;

import dev.keyward.acme.Authorization;
import dev.keyward.acme.Challenge;
import java.time.Duration;

/** Answers one kind of challenge (RFC 8555 section 8): publishes the answer and later removes it. */
interface ChallengeSolver extends AutoCloseable {
    /**
     * Picks this solver's challenge of the authorization and publishes its answer.
     *
     * @throws UsageException if the authorization offers no challenge of this kind
     */
    Challenge deploy(Authorization authorization) throws UsageException;

    /**
     * Waits, at most {@code timeout}, until the CA has looked at the answer, when the solver can
     * tell; returns at once otherwise.
     */
    void awaitCheck(Challenge challenge, Duration timeout) throws InterruptedException;

    /** Removes the published answer. */
    void remove(Challenge challenge);

    @Override
    void close();
}
