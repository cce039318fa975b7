package dev.keyward.acme.manager;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate the manager holds for a {@link CertificateSet}: its chain, leaf first (RFC 8555
 * section 7.4.2), as issued or as loaded from storage. Immutable; the private key stays inside the
 * manager.
 */
public final class ManagedCertificate {
    private final String setName;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final String keyReference;

    ManagedCertificate(String setName, List<X509Certificate> chain, PrivateKey privateKey, String keyReference) {
        this.setName = Objects.requireNonNull(setName, "setName");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain is not empty");
        }
        this.privateKey = privateKey;
        this.keyReference = keyReference;
    }

    /** @return the name of the certificate set */
    public String setName() {
        return setName;
    }

    /** @return the chain, leaf first */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the leaf certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @return the start of validity */
    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    /** @return the end of validity */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** @return the reference of the key when it stays in an HSM or KMS, empty for a generated key */
    public Optional<String> keyReference() {
        return Optional.ofNullable(keyReference);
    }

    /** @return whether the manager's key manager can serve it (it has a JCA key for TLS) */
    public boolean isServable() {
        return privateKey != null;
    }

    /**
     * The private key the manager generated for this certificate, for a caller that deploys it
     * to files (a {@code key.pem} beside {@code cert.pem}); empty for a key that stays in an HSM or
     * KMS ({@link #keyReference()}).
     *
     * @return the generated key
     */
    public Optional<PrivateKey> generatedKey() {
        return keyReference == null ? Optional.ofNullable(privateKey) : Optional.empty();
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "ManagedCertificate{" + setName + ", serial " + leaf().getSerialNumber().toString(16) + ", until "
                + notAfter() + "}";
    }
}
