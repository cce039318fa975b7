package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Polls a resource until its status leaves a set of waiting statuses (RFC 8555 section 7.5.1),
 * honouring {@code Retry-After}, otherwise backing off per {@link PollPolicy}, with a deadline.
 */
final class Poller {
    /** A hard cap on polls per wait, whatever the clock says. */
    static final int MAX_POLLS = 10_000;

    /** One poll: fetches a fresh snapshot. */
    interface Fetch<T> {
        T fetch(T current) throws AcmeException;
    }

    /** Reads one thing from a snapshot. */
    interface Reader<T, R> {
        R read(T snapshot);
    }

    private Poller() {
    }

    static <T> T await(T initial, Set<Status> waiting, Fetch<T> fetch, Reader<T, Status> status,
                       Reader<T, Optional<Instant>> retryAfter, PollPolicy policy, Session session, String what)
            throws AcmeException {
        AcmeClock clock = session.clock();
        Instant deadline = clock.now().plus(policy.timeout());
        Duration backoff = policy.initialDelay();
        T current = initial;
        for (int polls = 0; waiting.contains(status.read(current)); polls++) {
            Instant now = clock.now();
            Duration floor = policy.initialDelay();
            Duration wait = retryAfter.read(current)
                    .map(at -> at.isAfter(now.plus(floor)) ? Duration.between(now, at) : floor)
                    .orElse(backoff);
            if (polls >= MAX_POLLS || now.plus(wait).isAfter(deadline)) {
                throw new AcmeTimeoutException(what + " is still " + status.read(current).value() + " after "
                        + policy.timeout().toMillis() + " ms (" + polls + " polls)", status.read(current));
            }
            session.events().poll(current, status.read(current), wait);
            try {
                clock.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AcmeException("interrupted while waiting for " + what, e);
            }
            T polled = current;
            current = session.within(deadline, () -> fetch.fetch(polled));
            if (retryAfter.read(current).isEmpty()) {
                backoff = policy.next(backoff);
            }
        }
        return current;
    }
}
