package dev.keyward.acme.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe pool of unused nonces (RFC 8555 section 7.2), fed by the {@code Replay-Nonce} of
 * every response. Each nonce is handed out once. The newest nonce is handed out first (the oldest
 * are the likeliest to have expired on the server); the pool holds at most {@code capacity}.
 */
public final class NoncePool {
    private final ConcurrentLinkedDeque<String> nonces = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    /**
     * Creates a pool.
     *
     * @param capacity how many nonces to keep at most; the oldest are dropped beyond that
     */
    public NoncePool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Adds a nonce from a response. Values that are not base64url (section 6.5.1) are ignored.
     *
     * @param nonce the {@code Replay-Nonce} value, or {@code null}
     */
    public void offer(String nonce) {
        if (nonce == null || nonce.isEmpty() || !isBase64Url(nonce)) {
            return;
        }
        nonces.addFirst(nonce);
        if (size.incrementAndGet() > capacity) {
            if (nonces.pollLast() != null) {
                size.decrementAndGet();
            }
        }
    }

    /**
     * Takes a nonce, if the pool has one.
     *
     * @return a nonce no other caller receives, or empty
     */
    public Optional<String> take() {
        String nonce = nonces.pollFirst();
        if (nonce != null) {
            size.decrementAndGet();
        }
        return Optional.ofNullable(nonce);
    }

    /**
     * How many nonces are pooled now.
     *
     * @return the count
     */
    public int size() {
        return Math.max(0, size.get());
    }

    private static boolean isBase64Url(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
