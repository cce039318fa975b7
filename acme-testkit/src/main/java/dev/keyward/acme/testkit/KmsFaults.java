package dev.keyward.acme.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The failures a test asked a {@link KmsEmulator} to inject. Thread-safe. */
final class KmsFaults {

    private final Deque<KmsEmulator.ErrorType> next = new ArrayDeque<>();
    private KmsEmulator.ErrorType always;
    private volatile boolean corruptSignatures;

    synchronized void failNext(KmsEmulator.ErrorType error, int count) {
        for (int i = 0; i < count; i++) {
            next.addLast(error);
        }
    }

    synchronized void failAlways(KmsEmulator.ErrorType error) {
        always = error;
    }

    synchronized void clear() {
        next.clear();
        always = null;
    }

    /** The error to answer this request with, consuming one of the "next" failures; empty to handle it. */
    synchronized Optional<KmsEmulator.ErrorType> take() {
        if (!next.isEmpty()) {
            return Optional.of(next.removeFirst());
        }
        return Optional.ofNullable(always);
    }

    void corruptSignatures(boolean corrupt) {
        corruptSignatures = corrupt;
    }

    boolean corruptSignatures() {
        return corruptSignatures;
    }
}
