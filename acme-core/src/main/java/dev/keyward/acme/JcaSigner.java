package dev.keyward.acme;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import java.security.interfaces.ECPublicKey;
import dev.keyward.acme.internal.Failures;
import dev.keyward.acme.internal.SoftwareEcdsa;

/**
 * {@link Signers#jca}: signs through {@link Signature}. Each thread keeps one initialised
 * instance, so a request pays for the signature alone, not for looking up and initialising the
 * provider's implementation. An EC key in memory given without a provider signs through
 * {@link SoftwareEcdsa} instead (the same ECDSA, about six times faster than SunEC on JDK 17).
 */
final class JcaSigner implements AcmeSigner {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Provider provider;
    private final SignatureAlgorithm algorithm;
    private final ThreadLocal<Signature> perThread = new ThreadLocal<>();
    private final SoftwareEcdsa software;

    JcaSigner(PrivateKey privateKey, PublicKey publicKey, Provider provider, SignatureAlgorithm algorithm) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.provider = provider;
        this.algorithm = algorithm;
        this.software = provider == null && algorithm.isEcdsa() && publicKey instanceof ECPublicKey
                ? SoftwareEcdsa.of(privateKey, (ECPublicKey) publicKey, algorithm.digestName()).orElse(null)
                : null;
        if (software != null) {
            if (!software.matchesPublicKey()) {
                throw new IllegalArgumentException("the private key does not belong to the public key");
            }
        } else {
            requireMatchingPair();
        }
    }

    /**
     * Signs a probe and verifies it with the public key, so a private key that does not belong to
     * the public key is refused here, not later by the CA with a cryptic {@code badSignature}.
     */
    private void requireMatchingPair() {
        byte[] probe = "keyward key pair probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean matches;
        try {
            byte[] signature = sign(probe);
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (AcmeSigningException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key cannot sign with " + algorithm.jcaName() + " ("
                    + Failures.crypto(e) + ")", e);
        }
        if (!matches) {
            throw new IllegalArgumentException("the private key does not belong to the public key");
        }
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
    public byte[] sign(byte[] data) throws AcmeSigningException {
        if (software != null) {
            try {
                return software.signDer(data);
            } catch (RuntimeException e) {
                throw new AcmeSigningException("signing with " + algorithm.jwsName() + " failed: "
                        + Failures.crypto(e), e);
            }
        }
        try {
            Signature signature = perThread.get();
            if (signature == null) {
                signature = provider == null
                        ? Signature.getInstance(algorithm.jcaName())
                        : Signature.getInstance(algorithm.jcaName(), provider);
                signature.initSign(privateKey);
                perThread.set(signature);
            }
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            perThread.remove();
            throw new AcmeSigningException("signing with " + algorithm.jwsName() + " key "
                    + (provider == null ? "" : "in provider " + provider.getName() + " ") + "failed: "
                    + Failures.crypto(e), e);
        }
    }

    @Override
    public String toString() {
        return "JcaSigner{" + algorithm.jwsName()
                + (provider == null ? "" : ", provider=" + provider.getName()) + "}";
    }
}
