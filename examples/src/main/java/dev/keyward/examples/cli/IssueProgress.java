package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Hears the issuance flow for the CLI: prints its retries and reused authorizations, runs
 * {@code beforeFinalize} just before the CSR is sent (where {@code issue} keeps a generated key
 * whatever happens next), and remembers whether deactivating the authorizations failed.
 */
final class IssueProgress implements IssuanceListener {
    private final PrintStream log;
    private final Runnable beforeFinalize;
    private boolean deactivationFailed;

    IssueProgress(PrintStream log, Runnable beforeFinalize) {
        this.log = log;
        this.beforeFinalize = beforeFinalize;
    }

    @Override
    public void orderCreated(Order order) {
        order.replaces().ifPresent(id -> log.println("Order " + order.url() + " replaces " + ExitCodes.escape(id)));
        if (order.status() == Status.READY) {
            log.println("Order " + order.url() + " is ready: the CA reused valid authorizations for all of it");
        }
    }

    @Override
    public void authorizationReused(Authorization authorization) {
        log.println("Reusing the valid authorization of " + authorization.identifier().value());
    }

    @Override
    public void finalizing(Order order) {
        beforeFinalize.run();
    }

    @Override
    public void retrying(String step, AcmeException failure, Duration wait) {
        log.println("Retrying " + step + " after: " + ExitCodes.oneLine(failure.getMessage()));
    }

    @Override
    public void deactivationFailed(Order order, AcmeException failure) {
        deactivationFailed = true;
        log.println("Could not deactivate the order's authorizations: " + ExitCodes.oneLine(failure.getMessage()));
    }

    boolean deactivationFailed() {
        return deactivationFailed;
    }
}
