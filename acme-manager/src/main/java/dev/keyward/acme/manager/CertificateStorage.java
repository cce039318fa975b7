package dev.keyward.acme.manager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the manager keeps certificates, keys (or references to keys that stay in an HSM or KMS),
 * accounts and issuances in progress: a small key-value SPI in the style of CertMagic's
 * {@code Storage}. Keys are relative paths of segments made of {@code [A-Za-z0-9._-]}, separated by
 * {@code /}, for example {@code certificates/www/certificate.pem}; the layout the manager writes is
 * described on {@link CertificateManager}.
 *
 * <p>Contract: {@link #store} replaces a value atomically (a reader or a crash sees the old value
 * or the new one, never a mix); {@link #tryLock} makes one manager the only one that issues for a
 * name at a time (a {@link StorageLock}: a lease with a fencing token), so managers sharing a
 * storage renew each name once. The {@linkplain #files(Path) file storage} locks within one
 * process only and is therefore for one manager; storages shared by several managers implement
 * the lock across them (acme-jdbc's {@code JdbcCertificateStorage}: H2 or PostgreSQL).
 * Implementations must be thread-safe.
 */
public interface CertificateStorage {
    /**
     * Loads a value.
     *
     * @param key the key
     * @return the value, or empty when there is none
     * @throws IOException if the storage cannot be read
     */
    Optional<byte[]> load(String key) throws IOException;

    /**
     * Stores a value, replacing any previous one atomically.
     *
     * @param key the key
     * @param value the bytes
     * @param secret whether the value is secret (a private key): readable by its owner only
     * @throws IOException if the value cannot be stored; the previous value is then intact
     */
    void store(String key, byte[] value, boolean secret) throws IOException;

    /**
     * Deletes a value; deleting a missing value does nothing.
     *
     * @param key the key
     * @throws IOException if the storage cannot be written
     */
    void delete(String key) throws IOException;

    /**
     * The keys of the values directly under a prefix.
     *
     * @param prefix a key prefix ending before a {@code /}, for example {@code certificates/www}
     * @return the keys, sorted
     * @throws IOException if the storage cannot be read
     */
    List<String> list(String prefix) throws IOException;

    /**
     * Tries to take the lock of a name, without waiting: a lease that the storage renews while
     * the lock is held and that lapses when the holder dies (its process killed, its machine
     * gone), after which another manager can take the name over. The manager writes the values
     * of a set through the returned lock, so that a holder which lost the name (see
     * {@link StorageLock#fencingToken()}) cannot overwrite the new holder's values; and it reads
     * the storage again after taking a lock, so a set another manager has just renewed is not
     * renewed twice.
     *
     * @param name for example {@code certificates/www}
     * @return the lock, held; empty when another holder has it now (try again later)
     * @throws IOException if the storage cannot be reached
     */
    Optional<StorageLock> tryLock(String name) throws IOException;

    /**
     * The default storage: one file per key under a directory, written to a temporary file in
     * the same directory, forced to disk and renamed over the old file (an atomic move), so a crash
     * mid-write leaves the previous file intact; temporary files left by a crash are ignored and
     * removed. Secret values are created with POSIX permissions {@code 0600} (owner read and write)
     * where the file system has them, others {@code 0644}; directories {@code 0700}. Its locks
     * hold within this process only (they have no lease: a holder keeps them until it closes
     * them): one directory serves one manager.
     *
     * @param directory the root directory, created if missing
     * @return the storage
     * @throws IOException if the directory cannot be created
     */
    static CertificateStorage files(Path directory) throws IOException {
        return new FileStorage(directory);
    }
}
