package dev.keyward.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An {@link AcmeClock} whose {@link #sleep(Duration)} moves time forward at once and records the wait. */
final class FakeClock implements AcmeClock {
    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    private Instant now;
    private final List<Duration> sleeps = new ArrayList<>();
    private Runnable onSleep = () -> { };

    FakeClock() {
        this(START);
    }

    FakeClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        if (!duration.isNegative()) {
            now = now.plus(duration);
        }
        onSleep.run();
    }

    /** Runs {@code action} after every sleep: what changes in the world while the client waits. */
    synchronized void onSleep(Runnable action) {
        this.onSleep = action;
    }

    /** Every wait asked for, in order. */
    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
