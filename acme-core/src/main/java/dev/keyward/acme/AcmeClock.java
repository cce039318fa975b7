package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;

/**
 * The time source and sleeper behind every wait in Keyward: polling (RFC 8555 section 7.5.1),
 * {@code Retry-After} and deadlines. Inject a fake in tests to run polling without waiting.
 */
public interface AcmeClock {
    /**
     * The current instant.
     *
     * @return now
     */
    Instant now();

    /**
     * Blocks the calling thread for the given time.
     *
     * @param duration how long; zero or negative returns at once
     * @throws InterruptedException if the thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The system clock with {@link Thread#sleep(long)}.
     *
     * @return the system clock
     */
    static AcmeClock system() {
        return SystemClock.INSTANCE;
    }
}
