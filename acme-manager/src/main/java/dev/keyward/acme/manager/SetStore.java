package dev.keyward.acme.manager;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The manager's layout over a {@link CertificateStorage} (documented on {@link CertificateManager}):
 * <pre>
 * certificates/SET/certificate.pem     the chain, leaf first
 * certificates/SET/key-FP.pem          a generated key: PKCS#8 and its public key (secret, 0600)
 * certificates/SET/key-FP.ref          a caller's HSM/KMS key: its reference and public key only
 * certificates/SET/order.properties    an issuance in progress: order URL and key FP, to resume it
 * accounts/CA/account-key.pem          a generated account key (secret, 0600)
 * accounts/CA/account-key.ref          a caller's account key: its reference and public key only
 * accounts/CA/account.properties       the account URL and the directory URL
 * </pre>
 * FP is the first 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo; CA is the
 * directory URL's host and port and a digest of the whole URL. A renewal writes the new key under
 * its own name before the order, then {@code certificate.pem} (atomically), then removes other keys:
 * a crash at any point leaves a certificate with its key.
 */
final class SetStore {
    static final String CERTIFICATE = "certificate.pem";
    static final String ORDER = "order.properties";

    private final CertificateStorage storage;
    private final StorageLock lock;

    SetStore(CertificateStorage storage) {
        this(storage, null);
    }

    private SetStore(CertificateStorage storage, StorageLock lock) {
        this.storage = storage;
        this.lock = lock;
    }

    /** The same layout whose writes go through a held lock, so they are refused once the lock is lost. */
    SetStore under(StorageLock held) {
        return new SetStore(storage, held);
    }

    private void write(String key, byte[] value, boolean secret) throws IOException {
        if (lock != null) {
            lock.store(key, value, secret);
        } else {
            storage.store(key, value, secret);
        }
    }

    private void remove(String key) throws IOException {
        if (lock != null) {
            lock.delete(key);
        } else {
            storage.delete(key);
        }
    }

    static String directory(String set) {
        return "certificates/" + set;
    }

    /** Where the account of a CA is kept: {@code accounts/NAME} for a named account, else by its URL. */
    static String caDirectory(AcmeCa ca) {
        return ca.accountName().map(name -> "accounts/" + name).orElseGet(() -> caDirectory(ca.directoryUrl()));
    }

    static String caDirectory(URI directoryUrl) {
        String host = directoryUrl.getHost().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
        String port = directoryUrl.getPort() < 0 ? "" : "_" + directoryUrl.getPort();
        byte[] url = directoryUrl.toString().getBytes(StandardCharsets.UTF_8);
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(url), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
        return "accounts/" + host + port + "-" + digest;
    }

    /** The stored certificate of a set with its key, if both are there and the key fits the set's key source. */
    Optional<ManagedCertificate> load(CertificateSet set) throws IOException {
        String dir = directory(set.name());
        Optional<byte[]> pem = storage.load(dir + "/" + CERTIFICATE);
        if (pem.isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.parseCertificates(new String(pem.get(), StandardCharsets.US_ASCII));
        } catch (CertificateException e) {
            throw new IOException("the stored certificate of " + set.name() + " cannot be read", e);
        }
        String fp = CertificateKey.fingerprint(chain.get(0).getPublicKey());
        Optional<CertificateKey> key = key(set, fp);
        return key.map(k -> new ManagedCertificate(set.name(), chain, k.tlsKey, k.reference));
    }

    /** The stored key with this fingerprint, if it is there and fits the set's key source. */
    Optional<CertificateKey> key(CertificateSet set, String fingerprint) throws IOException {
        String dir = directory(set.name());
        KeySource source = set.keySource();
        if (source.isGenerated()) {
            Optional<byte[]> bytes = storage.load(dir + "/key-" + fingerprint + ".pem");
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(CertificateKey.readGenerated(bytes.get()));
            } catch (GeneralSecurityException e) {
                throw new IOException("the stored key " + fingerprint + " of " + set.name() + " cannot be read", e);
            }
        }
        CertificateKey external = CertificateKey.external(source);
        if (!external.fingerprint.equals(fingerprint)) {
            return Optional.empty(); // the set now names another key: the stored certificate is not for it
        }
        Optional<byte[]> bytes = storage.load(dir + "/key-" + fingerprint + ".ref");
        if (bytes.isPresent() && !source.reference().orElseThrow().equals(CertificateKey.readReference(bytes.get()))) {
            return Optional.empty();
        }
        return Optional.of(external);
    }

    /** Stores a key before it is used in an order: a generated key as secret PEM, a caller's as a reference. */
    void saveKey(String set, CertificateKey key) throws IOException {
        write(directory(set) + "/" + key.fileName(), key.stored(), key.reference == null);
    }

    void saveOrder(String set, URI orderUrl, String fingerprint) throws IOException {
        String text = "order=" + orderUrl + "\nkey=" + fingerprint + "\n";
        write(directory(set) + "/" + ORDER, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The order URL and key fingerprint of an issuance a crash interrupted, if any. */
    Optional<String[]> pendingOrder(String set) throws IOException {
        Optional<byte[]> bytes = storage.load(directory(set) + "/" + ORDER);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        String order = null;
        String key = null;
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("order=")) {
                order = line.substring(6);
            } else if (line.startsWith("key=")) {
                key = line.substring(4);
            }
        }
        return order == null || key == null ? Optional.empty() : Optional.of(new String[] {order, key});
    }

    void deleteOrder(String set) throws IOException {
        remove(directory(set) + "/" + ORDER);
    }

    /** Stores a new certificate atomically, then forgets the order and every other key of the set. */
    void saveCertificate(String set, List<X509Certificate> chain, CertificateKey key) throws IOException {
        String dir = directory(set);
        write(dir + "/" + CERTIFICATE, Pem.certificates(chain).getBytes(StandardCharsets.US_ASCII), false);
        remove(dir + "/" + ORDER);
        for (String stored : storage.list(dir)) {
            String name = stored.substring(dir.length() + 1);
            if (name.startsWith("key-") && !name.equals(key.fileName())) {
                remove(stored);
            }
        }
    }

    Optional<byte[]> load(String key) throws IOException {
        return storage.load(key);
    }

    void store(String key, byte[] value, boolean secret) throws IOException {
        storage.store(key, value, secret);
    }

    CertificateStorage storage() {
        return storage;
    }
}
