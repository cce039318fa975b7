package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;

/** {@link AcmeClock#system()}: wall-clock time and a real sleep. */
final class SystemClock implements AcmeClock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }

    @Override
    public String toString() {
        return "AcmeClock.system()";
    }
}
