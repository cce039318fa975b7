package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;

/** A key the manager certifies: its signer, its JCA key for TLS (if any), and how it is stored. */
final class CertificateKey {
    final AcmeSigner signer;
    final PrivateKey tlsKey;
    final String reference;
    final String fingerprint;

    CertificateKey(AcmeSigner signer, PrivateKey tlsKey, String reference) {
        this.signer = signer;
        this.tlsKey = tlsKey;
        this.reference = reference;
        this.fingerprint = fingerprint(signer.publicKey());
    }

    static CertificateKey generate(KeySource source) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(source.algorithm());
            if (source.algorithm().equals("EC")) {
                generator.initialize(new ECGenParameterSpec(source.size() == 384 ? "secp384r1" : "secp256r1"));
            } else {
                generator.initialize(source.size());
            }
            KeyPair pair = generator.generateKeyPair();
            return new CertificateKey(Signers.jca(pair.getPrivate(), pair.getPublic()), pair.getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + source.algorithm() + " key", e);
        }
    }

    static CertificateKey external(KeySource source) {
        return new CertificateKey(source.signer(), source.tlsKey(), source.reference().orElseThrow());
    }

    /** A file name part: the first 16 hex digits of the SHA-256 of the SubjectPublicKeyInfo. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** The stored form: PKCS#8 and public key PEM for a generated key; a reference file for a caller's key. */
    byte[] stored() {
        String text;
        if (reference == null) {
            text = Pem.encode("PRIVATE KEY", tlsKey.getEncoded()) + Pem.encode("PUBLIC KEY", signer.publicKey().getEncoded());
        } else {
            text = "# a key that stays in its HSM or KMS: no key material here\nreference=" + reference + "\n"
                    + Pem.encode("PUBLIC KEY", signer.publicKey().getEncoded());
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    String fileName() {
        return "key-" + fingerprint + (reference == null ? ".pem" : ".ref");
    }

    /** Reads a generated key stored by {@link #stored()}. */
    static CertificateKey readGenerated(byte[] bytes) throws GeneralSecurityException {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        byte[] pkcs8 = Pem.block(text, "PRIVATE KEY");
        byte[] spki = Pem.block(text, "PUBLIC KEY");
        if (pkcs8 == null || spki == null) {
            throw new GeneralSecurityException("a stored key lacks its PRIVATE KEY or PUBLIC KEY block");
        }
        PublicKey publicKey = Pem.publicKey(spki);
        PrivateKey privateKey = Pem.privateKey(pkcs8, publicKey.getAlgorithm());
        return new CertificateKey(new DeferredSigner(privateKey, publicKey), privateKey, null);
    }

    /**
     * The signer of a stored key, built on first use: building a JCA signer signs and verifies a
     * probe to prove the pair (two ECDSA operations), which loading thousands of sets for serving
     * alone need not pay. A stored key signs only when an interrupted order is resumed with it.
     */
    private static final class DeferredSigner implements AcmeSigner {
        private final PrivateKey privateKey;
        private final PublicKey publicKey;
        private volatile AcmeSigner signer;

        DeferredSigner(PrivateKey privateKey, PublicKey publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        private AcmeSigner signer() {
            AcmeSigner s = signer;
            if (s == null) {
                s = Signers.jca(privateKey, publicKey);
                signer = s;
            }
            return s;
        }

        @Override
        public SignatureAlgorithm algorithm() {
            return signer().algorithm();
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public byte[] sign(byte[] data) throws AcmeSigningException {
            return signer().sign(data);
        }

        @Override
        public String toString() {
            return "stored " + publicKey.getAlgorithm() + " key";
        }
    }

    /** The reference recorded in a stored reference file. */
    static String readReference(byte[] bytes) {
        for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
            if (line.startsWith("reference=")) {
                return line.substring("reference=".length());
            }
        }
        return null;
    }
}
