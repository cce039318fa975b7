package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * {@link Pkcs11KeyStore#signer(String)}: signs inside the token through SunPKCS11. Each thread keeps
 * one {@link Signature} initialised with the key (SunPKCS11 takes a session from its pool for each
 * signature and gives it back after), which spares a provider look-up and key check per request;
 * so it is thread-safe. Holds a handle to the private key, never its value.
 */
final class Pkcs11Signer implements AcmeSigner {
    private final Pkcs11KeyStore store;
    private final String keyLabel;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final SignatureAlgorithm algorithm;
    private final ThreadLocal<Signature> signatures = new ThreadLocal<>();

    Pkcs11Signer(Pkcs11KeyStore store, String keyLabel, PrivateKey privateKey, PublicKey publicKey,
            SignatureAlgorithm algorithm) {
        this.store = store;
        this.keyLabel = keyLabel;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.algorithm = algorithm;
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
            Signature signature = signatures.get();
            if (signature == null) {
                signature = Signature.getInstance(algorithm.jcaName(), store.token().provider);
                signature.initSign(privateKey);
                signatures.set(signature);
            }
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException | ProviderException e) {
            signatures.remove();
            throw new Pkcs11Exception(Pkcs11Exception.Reason.SIGNING_FAILED, "signing with " + algorithm.jwsName()
                    + " key '" + keyLabel + "' in " + store.token().description + " failed: "
                    + ReturnValues.describe(e), e);
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
