package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Polls a resource until its status leaves a set of waiting statuses (RFC 8555 section 7.5.1),
 * with a deadline. The first poll waits {@code first} (zero for authorizations: at once), unless
 * the snapshot carries a {@code Retry-After} still in the future, which it waits for instead; every
 * other poll waits for the server's {@code Retry-After} (no less than the policy's initial delay),
 * otherwise for the policy's backoff: the initial delay, growing after each wait.
 *
 * <p>An order is not polled at once but after {@link PollPolicy#finalizeDelay()}: the CA answered
 * finalize a moment ago with {@code processing} and is signing, so an immediate poll mostly finds
 * it still processing, and on Pebble a poll that lands while the order is being completed can
 * deadlock the order for good (its order handler takes the order's read lock twice, with the
 * completion's write lock waiting in between), which {@code ConcurrentIssuanceAgainstPebbleTest}
 * hit twice in three runs with 16 threads polling at once.
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
                       Reader<T, Optional<Instant>> retryAfter, PollPolicy policy, Session session, String what,
                       Duration first)
            throws AcmeException {
        AcmeClock clock = session.clock();
        Instant deadline = clock.now().plus(policy.timeout());
        Duration backoff = policy.initialDelay();
        T current = initial;
        for (int polls = 0; waiting.contains(status.read(current)); polls++) {
            Instant now = clock.now();
            Optional<Instant> serverSays = retryAfter.read(current);
            Duration wait;
            if (polls == 0) {
                wait = serverSays.filter(now::isBefore).map(at -> Duration.between(now, at)).orElse(first);
            } else if (serverSays.isPresent()) {
                Duration floor = policy.initialDelay();
                wait = serverSays.get().isAfter(now.plus(floor)) ? Duration.between(now, serverSays.get()) : floor;
            } else {
                wait = backoff;
                backoff = policy.next(backoff);
            }
            if (polls >= MAX_POLLS || now.plus(wait).isAfter(deadline)) {
                throw new AcmeTimeoutException(what + " is still " + status.read(current).value() + " after "
                        + policy.timeout().toMillis() + " ms (" + polls + " polls)", status.read(current));
            }
            session.events().poll(current, status.read(current), wait);
            if (!wait.isZero()) {
                try {
                    clock.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AcmeException("interrupted while waiting for " + what, e);
                }
            }
            T polled = current;
            current = session.within(deadline, () -> fetch.fetch(polled));
        }
        return current;
    }
}
