package dev.keyward.acme.internal;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A BouncyCastle {@link ContentSigner} backed by an {@link AcmeSigner}, so a CSR (and later a
 * tls-alpn-01 certificate) is signed by the same key abstraction as every JWS, wherever the key
 * lives. The signer's output is in the X.509 encoding already (DER for ECDSA).
 */
public final class SignerContentSigner implements ContentSigner {
    private final AcmeSigner signer;
    private final AlgorithmIdentifier algorithmIdentifier;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private AcmeSigningException failure;

    /**
     * Wraps a signer.
     *
     * @param signer the key
     */
    public SignerContentSigner(AcmeSigner signer) {
        this.signer = signer;
        this.algorithmIdentifier = identifierFor(signer.algorithm());
    }

    private static AlgorithmIdentifier identifierFor(SignatureAlgorithm algorithm) {
        return new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm.jcaName());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithmIdentifier;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        try {
            return signer.sign(buffer.toByteArray());
        } catch (AcmeSigningException e) {
            failure = e;
            return new byte[0];
        }
    }

    /**
     * Rethrows a signing failure that BouncyCastle's interface could not carry.
     *
     * @throws AcmeSigningException if {@link #getSignature()} failed
     */
    public void throwIfFailed() throws AcmeSigningException {
        if (failure != null) {
            throw failure;
        }
    }
}
