package dev.keyward.acme.manager;

import java.io.IOException;

/**
 * A write through a {@link StorageLock} that is no longer held: its lease lapsed and another
 * holder took the name over with a newer fencing token, or the lock was released. Nothing was
 * written; the manager counts it as a failed attempt and reads the storage again before the next.
 */
public class LockLostException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final long fencingToken;

    /**
     * An exception for a write refused under a lock.
     *
     * @param name the name locked, for example {@code certificates/www}
     * @param fencingToken the token of the lost holding
     * @param detail what happened, for example which token holds the name now
     */
    public LockLostException(String name, long fencingToken, String detail) {
        super("the lock of " + name + " (fencing token " + fencingToken + ") is no longer held: " + detail);
        this.name = name;
        this.fencingToken = fencingToken;
    }

    /** @return the name locked */
    public String name() {
        return name;
    }

    /** @return the fencing token of the lost holding */
    public long fencingToken() {
        return fencingToken;
    }
}
