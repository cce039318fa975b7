package dev.keyward.acme.manager;

import java.io.IOException;

/**
 * The lock of one name in a {@link CertificateStorage}, held: a lease that the storage keeps alive
 * while it is held and that lapses when its holder dies, so another manager can take the name
 * over. Each taking of a name gets a larger {@linkplain #fencingToken() fencing token}; the
 * writes made through this lock ({@link #store}, {@link #delete}) are refused with
 * {@link LockLostException} once the name was taken over by a newer token, so a holder that was
 * paused past its lease (a long GC pause, a partitioned machine) cannot overwrite what the new
 * holder wrote. {@link #close()} releases the lock. Not for use by several threads at once.
 */
public interface StorageLock extends AutoCloseable {
    /**
     * The name locked.
     *
     * @return for example {@code certificates/www}
     */
    String name();

    /**
     * The fencing token of this holding: larger than that of every earlier holding of the name.
     *
     * @return the token
     */
    long fencingToken();

    /**
     * Stores a value, replacing any previous one atomically, as
     * {@link CertificateStorage#store}, if this lock is still the newest holding of its name.
     *
     * @param key the key
     * @param value the bytes
     * @param secret whether the value is secret (a private key)
     * @throws LockLostException if the name was taken over (or released): nothing was written
     * @throws IOException if the value cannot be stored; the previous value is then intact
     */
    void store(String key, byte[] value, boolean secret) throws IOException;

    /**
     * Deletes a value, as {@link CertificateStorage#delete}, if this lock is still the newest
     * holding of its name.
     *
     * @param key the key
     * @throws LockLostException if the name was taken over (or released): nothing was deleted
     * @throws IOException if the storage cannot be written
     */
    void delete(String key) throws IOException;

    /**
     * Releases the lock; later writes through it are refused. Releasing twice does nothing.
     *
     * @throws IOException if the storage cannot release it (its lease then lapses by itself)
     */
    @Override
    void close() throws IOException;
}
