package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * {@link Pkcs11KeyStore#signer(String)}: signs inside the token through SunPKCS11, with the core's
 * JCA signer ({@link Signers#jca(PrivateKey, PublicKey, java.security.Provider)}) bound to the
 * token's provider, which keeps one initialised {@link Signature} per thread (SunPKCS11 takes a
 * session from its pool for each signature and gives it back after); so it is thread-safe. Around
 * it this signer checks that its store is open and turns the provider's failures into
 * {@link Pkcs11Exception}s naming the {@code CKR_...} value. Holds a handle to the private key,
 * never its value.
 */
final class Pkcs11Signer implements AcmeSigner {
    private final Pkcs11KeyStore store;
    private final String keyLabel;
    private final PublicKey publicKey;
    private final SignatureAlgorithm algorithm;
    private final AcmeSigner jca;

    Pkcs11Signer(Pkcs11KeyStore store, String keyLabel, PrivateKey privateKey, PublicKey publicKey,
            SignatureAlgorithm algorithm) {
        this.store = store;
        this.keyLabel = keyLabel;
        this.publicKey = publicKey;
        this.algorithm = algorithm;
        this.jca = Signers.jca(privateKey, publicKey, store.token().provider);
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
        store.requireOpen("sign with key '" + keyLabel + "'");
        try {
            return jca.sign(data);
        } catch (AcmeSigningException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Pkcs11Exception(Pkcs11Exception.Reason.SIGNING_FAILED, "signing with " + algorithm.jwsName()
                    + " key '" + keyLabel + "' in " + store.token().description + " failed: "
                    + ReturnValues.describe(cause), cause);
        }
    }

    /**
     * Signs a probe and checks it with the certificate's public key: proves at once that the key
     * can sign and that the certificate belongs to it, rather than at the first ACME request.
     */
    void checkKeyPair() throws Pkcs11Exception {
        byte[] probe = ("keyward key check " + keyLabel).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            signature = sign(probe);
        } catch (Pkcs11Exception e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, "key '" + keyLabel + "' in "
                    + store.token().description + " cannot sign " + algorithm.jwsName() + ": "
                    + ReturnValues.describe(e), e);
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
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, "the certificate labelled '" + keyLabel
                    + "' in " + store.token().description + " does not hold the public key of the private key"
                    + " labelled so", null);
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Signer{" + algorithm.jwsName() + ", key '" + keyLabel + "' in " + store.token().description + "}";
    }
}
