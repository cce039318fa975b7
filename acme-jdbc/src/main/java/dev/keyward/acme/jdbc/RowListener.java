package dev.keyward.acme.jdbc;

import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.Order;
import java.time.Duration;

/**
 * Stores the order URL when the order exists and notes finalization just before the CSR is sent,
 * both under the worker's lease, then tells the caller's listener. A write that fails, or finds the
 * lease taken over, ends the issuance before finalize ({@link Abandon}).
 */
final class RowListener implements IssuanceListener {
    /** Ends an issuance whose row can no longer be written (database lost, or lease taken over). */
    static final class Abandon extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CsrQueueException databaseFailure;

        Abandon(String message, CsrQueueException databaseFailure) {
            super(message, databaseFailure);
            this.databaseFailure = databaseFailure;
        }
    }

    private final CsrQueue queue;
    private final Claim claim;
    private final AcmeClock clock;
    private final IssuanceListener delegate;

    RowListener(CsrQueue queue, Claim claim, AcmeClock clock, IssuanceListener delegate) {
        this.queue = queue;
        this.claim = claim;
        this.clock = clock;
        this.delegate = delegate;
    }

    @Override
    public void orderCreated(Order order) {
        try {
            if (!queue.storeOrder(claim, order.url(), clock.now())) {
                throw new Abandon("row " + claim.id() + " was taken over by another worker before its order was stored", null);
            }
        } catch (CsrQueueException e) {
            throw new Abandon(e.getMessage(), e);
        }
        delegate.orderCreated(order);
    }

    @Override
    public void finalizing(Order order) {
        try {
            if (!queue.markFinalizing(claim, clock.now())) {
                throw new Abandon("row " + claim.id() + " was taken over by another worker before finalize", null);
            }
        } catch (CsrQueueException e) {
            throw new Abandon(e.getMessage(), e);
        }
        delegate.finalizing(order);
    }

    @Override
    public void authorizationReused(Authorization authorization) {
        delegate.authorizationReused(authorization);
    }

    @Override
    public void challengeDeployed(Challenge challenge, ChallengeSolver solver) {
        delegate.challengeDeployed(challenge, solver);
    }

    @Override
    public void challengeAnswered(Challenge challenge) {
        delegate.challengeAnswered(challenge);
    }

    @Override
    public void authorizationValid(Authorization authorization) {
        delegate.authorizationValid(authorization);
    }

    @Override
    public void issued(Order order, CertificateChain chain) {
        delegate.issued(order, chain);
    }

    @Override
    public void retrying(String step, AcmeException failure, Duration wait) {
        delegate.retrying(step, failure, wait);
    }

    @Override
    public void deactivationFailed(Order order, AcmeException failure) {
        delegate.deactivationFailed(order, failure);
    }
}
