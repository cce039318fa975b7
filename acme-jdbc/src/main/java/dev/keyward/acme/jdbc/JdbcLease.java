package dev.keyward.acme.jdbc;

import dev.keyward.acme.manager.LockLostException;
import dev.keyward.acme.manager.StorageLock;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lease lock of a {@link JdbcCertificateStorage}: renewed in the background every third of
 * the lease time while held; its writes run in one transaction with a check of its fencing token
 * (the lock row locked until commit), so they are refused once another holder took the name over.
 */
final class JdbcLease implements StorageLock {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCertificateStorage.class);

    private final JdbcCertificateStorage storage;
    private final String name;
    private final String holder;
    private final long token;
    private volatile ScheduledFuture<?> renewal;
    private volatile String lost;

    JdbcLease(JdbcCertificateStorage storage, String name, String holder, long token) {
        this.storage = storage;
        this.name = name;
        this.holder = holder;
        this.token = token;
    }

    void renewEvery(ScheduledFuture<?> future) {
        this.renewal = future;
    }

    String holder() {
        return holder;
    }

    /** Extends the lease; called by the storage's renewal thread. */
    void renew() {
        if (lost != null) {
            return;
        }
        try {
            if (!storage.renew(this)) {
                lost = "its lease lapsed and the name was taken over or released";
                LOG.warn("the storage lock of {} (fencing token {}) was lost: {}", name, token, lost);
                cancel();
            }
        } catch (IOException e) {
            // the database is away: the lease may lapse meanwhile; the fenced writes tell
            LOG.warn("renewing the storage lock of {} failed: {}", name, e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public void store(String key, byte[] value, boolean secret) throws IOException {
        refuseIfReleased();
        storage.fencedStore(this, key, value, secret);
    }

    @Override
    public void delete(String key) throws IOException {
        refuseIfReleased();
        storage.fencedDelete(this, key);
    }

    private void refuseIfReleased() throws LockLostException {
        String why = lost;
        if (why != null) {
            throw new LockLostException(name, token, why);
        }
    }

    @Override
    public void close() throws IOException {
        if (lost != null) {
            return;
        }
        lost = "it was released";
        cancel();
        storage.release(this);
    }

    /** Stops renewing without releasing: the lease lapses by itself (the storage is closing). */
    void cancel() {
        ScheduledFuture<?> future = renewal;
        if (future != null) {
            future.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "StorageLock{" + name + ", token " + token + ", holder " + holder + (lost != null ? ", " + lost : "") + "}";
    }
}
