package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Hears the issuance flow for the CLI: prints its retries and reused authorizations, runs
 * {@code onOrder} once the order exists (where {@code issue} records its URL to resume it) and
 * {@code beforeFinalize} just before the CSR is sent, and remembers whether deactivating the authorizations failed.
 */
final class IssueProgress implements IssuanceListener {
    private final PrintStream log;
    private final Consumer<Order> onOrder;
    private final Runnable beforeFinalize;
    private boolean deactivationFailed;

    IssueProgress(PrintStream log, Consumer<Order> onOrder, Runnable beforeFinalize) {
        this.log = log;
        this.onOrder = onOrder;
        this.beforeFinalize = beforeFinalize;
    }

    @Override
    public void orderCreated(Order order) {
        String url = ExitCodes.escape(order.url().toString());
        order.replaces().ifPresent(id -> log.println("Order " + url + " replaces " + ExitCodes.escape(id)));
        if (order.status() == Status.READY) {
            log.println("Order " + url + " is ready: the CA reused valid authorizations for all of it");
        }
        onOrder.accept(order);
    }

    @Override
    public void authorizationReused(Authorization authorization) {
        log.println("Reusing the valid authorization of " + ExitCodes.escape(authorization.identifier().value()));
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
