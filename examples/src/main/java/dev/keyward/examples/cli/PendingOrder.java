package dev.keyward.examples.cli;

import dev.keyward.acme.Identifier;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The record of an issuance in progress in {@code --out}: {@code .pending/order.properties} (the
 * CA's directory URL, the identifiers, the SHA-256 of the certificate key's public key, and once
 * the CA created it, the order URL) and, for a key Keyward generated, {@code .pending/key.pem}
 * (readable by its owner alone). Written before the order is created, so a run killed at any point
 * after that is resumed by the next {@code issue} with the same {@code --out} and identifiers: the
 * same order (RFC 8555 section 7.4: one order, one certificate) with the same key. Removed once
 * the certificate is in place, or when the issuance failed for good.
 */
final class PendingOrder {
    static final String DIRECTORY = ".pending";
    private static final String RECORD = "order.properties";
    private static final String KEY = "key.pem";

    private final Path dir;
    private final URI directoryUrl;
    private final String identifiers;
    private final String keyId;
    private final URI order;

    private PendingOrder(Path dir, URI directoryUrl, String identifiers, String keyId, URI order) {
        this.dir = dir;
        this.directoryUrl = directoryUrl;
        this.identifiers = identifiers;
        this.keyId = keyId;
        this.order = order;
    }

    /** The identifiers as one canonical text: sorted {@code type:value}, comma-separated. */
    static String canonical(List<Identifier> ids) {
        TreeSet<String> sorted = new TreeSet<>();
        ids.forEach(id -> sorted.add(id.type() + ":" + id.value()));
        return String.join(",", sorted);
    }

    /** The SHA-256 of a public key's encoding, in hex. */
    static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The record in {@code out}, if there is a readable one. */
    static Optional<PendingOrder> read(Path out) {
        Path dir = out.resolve(DIRECTORY);
        Path record = dir.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            String directory = fields.get("directory");
            String ids = fields.get("identifiers");
            String key = fields.get("key");
            if (directory == null || ids == null || key == null) {
                return Optional.empty();
            }
            String order = fields.get("order");
            return Optional.of(new PendingOrder(dir, URI.create(directory), ids, key,
                    order == null || order.isEmpty() ? null : URI.create(order)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts a record before the order is created: the key first (when given), then the record,
     * each written whole.
     */
    static PendingOrder start(Path out, URI directoryUrl, List<Identifier> ids, PublicKey publicKey,
                              Optional<KeyPair> keyToKeep) throws ConfigException {
        Path dir = out.resolve(DIRECTORY);
        PendingOrder pending = new PendingOrder(dir, directoryUrl, canonical(ids), keyId(publicKey), null);
        try {
            Files.createDirectories(dir);
            DurableFiles.removeTemporaries(dir);
            if (keyToKeep.isPresent()) {
                DurableFiles.write(dir.resolve(KEY), OutputFiles.pem(keyToKeep.get()), true);
            } else {
                Files.deleteIfExists(dir.resolve(KEY));
            }
            pending.save();
        } catch (IOException e) {
            throw new ConfigException("cannot record the issuance in " + dir + ": " + IoWords.reason(e), e);
        }
        return pending;
    }

    /** Adds the order URL to the record, as soon as the CA created the order. */
    PendingOrder withOrder(URI orderUrl) throws ConfigException {
        PendingOrder updated = new PendingOrder(dir, directoryUrl, identifiers, keyId, orderUrl);
        try {
            updated.save();
        } catch (IOException e) {
            throw new ConfigException("cannot record the order in " + dir + ": " + IoWords.reason(e), e);
        }
        return updated;
    }

    /** The same record without the order (the CA failed it): the next attempt makes a new one with the same key. */
    PendingOrder withoutOrder() throws ConfigException {
        PendingOrder updated = new PendingOrder(dir, directoryUrl, identifiers, keyId, null);
        try {
            updated.save();
        } catch (IOException e) {
            throw new ConfigException("cannot update " + dir + ": " + IoWords.reason(e), e);
        }
        return updated;
    }

    private void save() throws IOException {
        String text = "# keyward: an issuance in progress, resumed by the next issue into this directory\n"
                + "directory=" + directoryUrl.toASCIIString() + "\n"
                + "identifiers=" + identifiers + "\n"
                + "key=" + keyId + "\n"
                + (order == null ? "" : "order=" + order.toASCIIString() + "\n");
        DurableFiles.write(dir.resolve(RECORD), text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Whether this record is for the same CA and the same identifiers. */
    boolean isFor(URI directory, List<Identifier> ids) {
        return directoryUrl.equals(directory) && identifiers.equals(canonical(ids));
    }

    String identifiers() {
        return identifiers;
    }

    String keyId() {
        return keyId;
    }

    Optional<URI> order() {
        return Optional.ofNullable(order);
    }

    /** The key Keyward generated for this issuance, kept in the record; empty for a key of the caller's. */
    Optional<KeyPair> key() throws ConfigException {
        Path key = dir.resolve(KEY);
        if (!Files.isRegularFile(key)) {
            return Optional.empty();
        }
        KeyPair pair = KeyFiles.read(key);
        return keyId(pair.getPublic()).equals(keyId) ? Optional.of(pair) : Optional.empty();
    }

    /** Removes the record. */
    static void clear(Path out) throws ConfigException {
        try {
            DurableFiles.deleteTree(out.resolve(DIRECTORY));
        } catch (IOException e) {
            throw new ConfigException("cannot remove " + out.resolve(DIRECTORY) + ": " + IoWords.reason(e), e);
        }
    }
}
