package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeClock;
import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to (or when slept on). */
final class FakeClock implements AcmeClock {
    private Instant now;

    FakeClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        if (!duration.isNegative()) {
            now = now.plus(duration);
        }
    }

    synchronized void set(Instant instant) {
        now = instant;
    }

    synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }
}
