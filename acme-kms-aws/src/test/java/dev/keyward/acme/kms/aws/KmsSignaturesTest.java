package dev.keyward.acme.kms.aws;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shape checks applied to what KMS returns, before a signature reaches a JWS or CSR. */
class KmsSignaturesTest {
    private static KeyPair ec;
    private static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
    }

    @Test
    void aJdkEcdsaSignatureIsAccepted() throws Exception {
        byte[] signature = sign("SHA256withECDSA", ec);

        assertThatCode(() -> KmsSignatures.check(signature, ec.getPublic())).doesNotThrowAnyException();
    }

    @Test
    void anEcdsaSignatureWithTrailingBytesIsRefused() throws Exception {
        byte[] der = sign("SHA256withECDSA", ec);
        byte[] signature = Arrays.copyOf(der, der.length + 1);

        assertThatThrownBy(() -> KmsSignatures.check(signature, ec.getPublic())).hasMessageContaining("DER");
    }

    @Test
    void rAndSInRawConcatenationAreRefused() {
        byte[] concat = new byte[64];
        concat[0] = 0x30;
        concat[1] = 62;

        assertThatThrownBy(() -> KmsSignatures.check(concat, ec.getPublic())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueNotBelowTheGroupOrderIsRefused() {
        BigInteger order = ((ECPublicKey) ec.getPublic()).getParams().getOrder();
        byte[] signature = der(order, BigInteger.ONE);

        assertThatThrownBy(() -> KmsSignatures.check(signature, ec.getPublic())).hasMessageContaining("[1, n-1]");
    }

    @Test
    void aZeroValueIsRefused() {
        assertThatThrownBy(() -> KmsSignatures.check(der(BigInteger.ZERO, BigInteger.ONE), ec.getPublic()))
                .hasMessageContaining("[1, n-1]");
    }

    @Test
    void anRsaSignatureOfTheWrongLengthIsRefused() throws Exception {
        byte[] signature = Arrays.copyOf(sign("SHA256withRSA", rsa), 255);

        assertThatThrownBy(() -> KmsSignatures.check(signature, rsa.getPublic())).hasMessageContaining("255 bytes");
        assertThatCode(() -> KmsSignatures.check(sign("SHA256withRSA", rsa), rsa.getPublic())).doesNotThrowAnyException();
    }

    @Test
    void anEmptySignatureIsRefused() {
        assertThatThrownBy(() -> KmsSignatures.check(new byte[0], rsa.getPublic())).hasMessageContaining("empty");
    }

    private static byte[] sign(String algorithm, KeyPair pair) throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(pair.getPrivate());
        signature.update(new byte[] {1, 2, 3});
        return signature.sign();
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        try {
            return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
