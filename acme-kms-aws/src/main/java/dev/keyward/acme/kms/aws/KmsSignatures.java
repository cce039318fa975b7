package dev.keyward.acme.kms.aws;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * Checks the shape of a signature that KMS returned before it goes into a JWS or CSR, so that a
 * broken service fails here, naming the key, rather than as a CA's {@code badSignature}: ECDSA must
 * be the DER {@code SEQUENCE} of two {@code INTEGER}s in {@code [1, n-1]} (RFC 3279 section 2.2.3),
 * RSA exactly as long as the modulus and below it (RFC 8017 section 8.2.2).
 */
final class KmsSignatures {
    private KmsSignatures() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong
     */
    static void check(byte[] signature, PublicKey publicKey) {
        if (signature == null || signature.length == 0) {
            throw new IllegalArgumentException("the signature is empty");
        }
        if (publicKey instanceof RSAPublicKey) {
            BigInteger modulus = ((RSAPublicKey) publicKey).getModulus();
            int length = (modulus.bitLength() + 7) / 8;
            if (signature.length != length) {
                throw new IllegalArgumentException("the RSA signature has " + signature.length + " bytes, not " + length);
            }
            if (new BigInteger(1, signature).compareTo(modulus) >= 0) {
                throw new IllegalArgumentException("the RSA signature is not below the modulus");
            }
            return;
        }
        BigInteger order = ((ECPublicKey) publicKey).getParams().getOrder();
        ASN1Primitive parsed;
        try {
            parsed = ASN1Primitive.fromByteArray(signature);
            if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), signature)) {
                throw new IllegalArgumentException("the ECDSA signature is BER, not DER");
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("the ECDSA signature is not DER: " + e.getMessage(), e);
        }
        if (!(parsed instanceof ASN1Sequence) || ((ASN1Sequence) parsed).size() != 2) {
            throw new IllegalArgumentException("the ECDSA signature is not a DER SEQUENCE of r and s");
        }
        for (Object element : (ASN1Sequence) parsed) {
            if (!(element instanceof ASN1Integer)) {
                throw new IllegalArgumentException("the ECDSA signature holds a non-INTEGER");
            }
            BigInteger value = ((ASN1Integer) element).getValue();
            if (value.signum() <= 0 || value.compareTo(order) >= 0) {
                throw new IllegalArgumentException("the ECDSA signature holds a value outside [1, n-1]");
            }
        }
    }
}
