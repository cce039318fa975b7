package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ECDSA signatures between the DER of JCA, PKCS#11 and KMS and the R||S of JWS (RFC 7518
 * section 3.4). DER is built by hand or by BouncyCastle, never by the code under test.
 */
class EcdsaSignaturesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aP256SignatureWithRAsOneAndSNeedingASignPadRoundTrips() {
        byte[] r = unsigned(BigInteger.ONE, 32);
        byte[] s = filled(32, 0x80);
        byte[] der = HEX.parseHex("3026" + "020101" + "022100" + "80".repeat(32));

        assertThat(EcdsaSignatures.derToConcat(der, 32)).isEqualTo(concat(r, s));
        assertThat(EcdsaSignatures.concatToDer(concat(r, s))).isEqualTo(der);
    }

    @Test
    void aP384SignatureWhoseRHasLeadingZeroBytesRoundTrips() {
        byte[] r = new byte[48];
        Arrays.fill(r, 2, 48, (byte) 0x7f);
        byte[] s = filled(48, 0xc1);
        byte[] der = bcDer(new BigInteger(1, r), new BigInteger(1, s));

        assertThat(HEX.formatHex(der)).startsWith("3063" + "022e7f7f").contains("023100c1c1");
        assertThat(EcdsaSignatures.derToConcat(der, 48)).isEqualTo(concat(r, s));
        assertThat(EcdsaSignatures.concatToDer(concat(r, s))).isEqualTo(der);
    }

    @Test
    void aP521SignatureOfFullLengthUsesTheTwoByteDerLengthAndRoundTrips() {
        byte[] r = filled(66, 0xff);
        r[0] = 0x01;
        byte[] s = new byte[66];
        s[0] = 0x01;
        s[65] = 0x2a;
        byte[] der = bcDer(new BigInteger(1, r), new BigInteger(1, s));

        assertThat(HEX.formatHex(der, 0, 5)).isEqualTo("3081880242");
        assertThat(der).hasSize(3 + 136);
        assertThat(EcdsaSignatures.derToConcat(der, 66)).isEqualTo(concat(r, s));
        assertThat(EcdsaSignatures.concatToDer(concat(r, s))).isEqualTo(der);
    }

    @Test
    void aP521SignatureWithATinyRUsesTheShortDerLengthAndRoundTrips() {
        byte[] r = unsigned(BigInteger.valueOf(0x42), 66);
        byte[] s = new byte[66];
        s[0] = 0x01;
        s[1] = (byte) 0x99;
        byte[] der = bcDer(new BigInteger(1, r), new BigInteger(1, s));

        assertThat(HEX.formatHex(der, 0, 5)).isEqualTo("3047020142");
        assertThat(EcdsaSignatures.derToConcat(der, 66)).isEqualTo(concat(r, s));
        assertThat(EcdsaSignatures.concatToDer(concat(r, s))).isEqualTo(der);
    }

    @Test
    void zeroValuesAreEncodedAsOneZeroByte() {
        byte[] concat = new byte[64];

        byte[] der = EcdsaSignatures.concatToDer(concat);

        assertThat(HEX.formatHex(der)).isEqualTo("3006020100020100");
        assertThat(EcdsaSignatures.derToConcat(der, 32)).isEqualTo(concat);
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSA, 32", "secp384r1, SHA384withECDSA, 48", "secp521r1, SHA512withECDSA, 66"})
    void jcaSignaturesSurviveTheRoundTripAndMatchTheP1363Form(String curve, String algorithm, int length)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        KeyPair keys = generator.generateKeyPair();
        for (int i = 0; i < 16; i++) {
            byte[] data = ("message " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(keys.getPrivate());
            signer.update(data);
            byte[] der = signer.sign();

            byte[] concat = EcdsaSignatures.derToConcat(der, length);

            assertThat(concat).hasSize(2 * length);
            assertThat(verify(algorithm + "inP1363Format", keys, data, concat)).isTrue();
            byte[] back = EcdsaSignatures.concatToDer(concat);
            assertThat(back).isEqualTo(der);
            assertThat(verify(algorithm, keys, data, back)).isTrue();
        }
    }

    @Test
    void truncatedDerIsRejected() {
        byte[] der = bcDer(BigInteger.valueOf(1234567), BigInteger.valueOf(7654321));

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(Arrays.copyOf(der, der.length - 1), 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(Arrays.copyOf(der, 5), 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIntegerLongerThanItsSequenceIsRejected() {
        byte[] der = HEX.parseHex("3008" + "020101" + "020501020304");

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongOuterTagIsRejected() {
        byte[] der = bcDer(BigInteger.TEN, BigInteger.TWO);
        der[0] = 0x31;

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SEQUENCE");
    }

    @Test
    void aWrongIntegerTagIsRejected() {
        byte[] der = HEX.parseHex("3006" + "030101" + "020102");

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INTEGER");
    }

    @Test
    void trailingBytesAfterTheSequenceAreRejected() {
        byte[] der = bcDer(BigInteger.TEN, BigInteger.TWO);
        byte[] withTrailer = Arrays.copyOf(der, der.length + 1);

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(withTrailer, 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailingBytesInsideTheSequenceAreRejected() {
        byte[] der = HEX.parseHex("3007" + "020101" + "020102" + "00");

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void aValueLongerThanTheCoordinateIsRejected() {
        byte[] der = bcDer(new BigInteger(1, filled(33, 0x11)), BigInteger.ONE);

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32");
    }

    @Test
    void aP521SignatureReadAsP256IsRejected() {
        byte[] der = bcDer(new BigInteger(1, filled(66, 0x01)), BigInteger.ONE);

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeIntegerIsRejected() {
        byte[] der = HEX.parseHex("3006" + "020180" + "020101");

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void anEmptyIntegerIsRejected() {
        byte[] der = HEX.parseHex("3007" + "0200" + "0203010203");

        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indefiniteAndOverlongLengthFormsAreRejected() {
        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(HEX.parseHex("3080020101020101" + "0000"), 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(HEX.parseHex("3083000006020101020101"), 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAndMissingInputIsRejected() {
        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(new byte[0], 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatures.derToConcat(null, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anRsConcatenationOfOddOrZeroLengthIsRejected() {
        assertThatThrownBy(() -> EcdsaSignatures.concatToDer(new byte[63])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatures.concatToDer(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatures.concatToDer(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean verify(String algorithm, KeyPair keys, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(keys.getPublic());
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static byte[] bcDer(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
