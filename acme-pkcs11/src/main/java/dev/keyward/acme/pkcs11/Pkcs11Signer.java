package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;

/**
 * {@link Pkcs11KeyStore#signer(String)}: signs inside the token with {@code C_SignInit} and
 * {@code C_Sign}, each signature in a session of its own (borrowed from the token's pool), so it is
 * thread-safe. ECDSA: the digest is made in Java and the token signs it with {@code CKM_ECDSA}, whose
 * raw R||S becomes the DER that {@link AcmeSigner#sign} returns. RSA: {@code CKM_SHA256_RSA_PKCS}, or
 * {@code CKM_RSA_PKCS} over a DigestInfo (RFC 8017 section 9.2). Holds a handle to the private key,
 * never its value.
 */
final class Pkcs11Signer implements AcmeSigner {
    /** DER of the DigestInfo prefix for SHA-256 (RFC 8017 section 9.2, note 1). */
    private static final byte[] SHA256_DIGEST_INFO = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

    private final Pkcs11KeyStore store;
    private final String keyName;
    private final long privateKey;
    private final PublicKey publicKey;
    private final SignatureAlgorithm algorithm;
    private final long mechanism;

    Pkcs11Signer(Pkcs11KeyStore store, String keyName, long privateKey, PublicKey publicKey,
            SignatureAlgorithm algorithm, long mechanism) {
        this.store = store;
        this.keyName = keyName;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.algorithm = algorithm;
        this.mechanism = mechanism;
    }

    @Override
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) throws Pkcs11Exception {
        store.requireOpen("sign with " + keyName);
        byte[] input = input(data);
        OpenTokens.OpenToken token = store.token();
        byte[] signature;
        try {
            signature = token.inSession(session -> token.cryptoki.sign(session, mechanism, privateKey, input));
        } catch (Cryptoki.CallFailed e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.SIGNING_FAILED, "signing " + algorithm.jwsName()
                    + " with " + keyName + " (" + Ck.mechanismName(mechanism) + ") in " + token.description
                    + " failed: " + e.getMessage(), null);
        }
        if (!algorithm.isEcdsa()) {
            return signature;
        }
        if (signature.length != 2 * algorithm.coordinateLength()) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.SIGNING_FAILED, "the token returned an ECDSA signature"
                    + " of " + signature.length + " bytes for " + keyName + "; " + algorithm.jwsName() + " needs "
                    + 2 * algorithm.coordinateLength(), null);
        }
        return dev.keyward.acme.Signers.ecdsaDerFromConcat(signature);
    }

    /** What the token signs: the digest for ECDSA, a DigestInfo for raw RSA, else the data. */
    private byte[] input(byte[] data) {
        if (mechanism == Ck.CKM_SHA256_RSA_PKCS) {
            return data;
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(algorithm.digestName()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.digestName() + " is not available in this JVM", e);
        }
        if (mechanism == Ck.CKM_ECDSA) {
            return digest;
        }
        byte[] digestInfo = new byte[SHA256_DIGEST_INFO.length + digest.length];
        System.arraycopy(SHA256_DIGEST_INFO, 0, digestInfo, 0, SHA256_DIGEST_INFO.length);
        System.arraycopy(digest, 0, digestInfo, SHA256_DIGEST_INFO.length, digest.length);
        return digestInfo;
    }

    /**
     * Signs a probe and checks it with the public key: proves at once that the key can sign and that
     * the public key Keyward found belongs to it, rather than at the first ACME request.
     */
    void checkKeyPair() throws Pkcs11Exception {
        byte[] probe = ("keyward key check " + keyName).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            signature = sign(probe);
        } catch (Pkcs11Exception e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, keyName + " in "
                    + store.token().description + " cannot sign " + algorithm.jwsName() + ": " + e.getMessage(), e);
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, "the public key found for " + keyName
                    + " in " + store.token().description + " is not the public half of that private key", null);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Signer{" + algorithm.jwsName() + ", " + keyName + " in " + store.token().description + "}";
    }
}
