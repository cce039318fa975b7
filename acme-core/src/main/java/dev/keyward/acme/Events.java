package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to a client's {@link AcmeEventListener} so that a listener's exception never
 * reaches the flow: the first is logged at WARN, later ones at DEBUG. Thread-safe.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeEventListener.class);

    private final AcmeEventListener listener;
    private final AtomicBoolean warned = new AtomicBoolean();

    Events(AcmeEventListener listener) {
        this.listener = listener;
    }

    /** A request sent through {@link #exchange}. */
    interface Exchange {
        HttpResponse send() throws AcmeNetworkException;
    }

    /** Sends a request with its start and end (or failure) events. */
    HttpResponse exchange(String method, URI url, Exchange exchange) throws AcmeNetworkException {
        if (listener == AcmeEventListener.NONE) {
            return exchange.send();
        }
        fire("requestStart", l -> l.requestStart(method, url));
        long start = System.nanoTime();
        HttpResponse response;
        try {
            response = exchange.send();
        } catch (AcmeNetworkException | RuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            fire("requestFailed", l -> l.requestFailed(method, url, e, took));
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int status = response.code();
        fire("requestEnd", l -> l.requestEnd(method, url, status, took));
        return response;
    }

    void retry(String method, URI url, AcmeException reason, int attempt, Duration delay) {
        fire("retry", l -> l.retry(method, url, reason, attempt, delay));
    }

    void badNonce(URI url, int attempt) {
        fire("badNonce", l -> l.badNonce(url, attempt));
    }

    void nonceMiss(URI newNonceUrl) {
        fire("nonceMiss", l -> l.nonceMiss(newNonceUrl));
    }

    /** Fires {@code rateLimited} when the failure is one. */
    void rateLimitedIf(URI url, AcmeException failure, int httpCode) {
        if (failure instanceof AcmeRateLimitedException || httpCode == 429) {
            Optional<Instant> retryAfter = failure instanceof AcmeServerException
                    ? ((AcmeServerException) failure).retryAfter() : Optional.empty();
            fire("rateLimited", l -> l.rateLimited(url, retryAfter));
        }
    }

    /** Fires {@code poll} for an {@link Order} or {@link Authorization} snapshot; other snapshots have no URL. */
    void poll(Object snapshot, Status status, Duration nextDelay) {
        URI url = snapshot instanceof Order ? ((Order) snapshot).url()
                : snapshot instanceof Authorization ? ((Authorization) snapshot).url() : null;
        if (url != null) {
            fire("poll", l -> l.poll(url, status, nextDelay));
        }
    }

    private void fire(String event, Consumer<AcmeEventListener> call) {
        if (listener == AcmeEventListener.NONE) {
            return;
        }
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("the ACME event listener {} threw on {}; ignored (later failures are logged at DEBUG)",
                        listener.getClass().getName(), event, e);
            } else {
                LOG.debug("the ACME event listener threw on {}; ignored", event, e);
            }
        }
    }
}
