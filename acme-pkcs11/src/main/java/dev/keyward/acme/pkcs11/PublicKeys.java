package dev.keyward.acme.pkcs11;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * Public keys from PKCS#11 attributes: RSA from {@code CKA_MODULUS} and {@code CKA_PUBLIC_EXPONENT},
 * EC from {@code CKA_EC_PARAMS} (the curve's DER OID) and {@code CKA_EC_POINT} (a DER OCTET STRING
 * holding the uncompressed point, or the bare point, as some modules give it), which become an
 * X.509 {@code SubjectPublicKeyInfo} (RFC 5480) for the JDK's key factory.
 */
final class PublicKeys {
    /** DER of OID 1.2.840.10045.2.1, id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private PublicKeys() {
    }

    static PublicKey rsa(byte[] modulus, byte[] exponent) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(new BigInteger(1, modulus), new BigInteger(1, exponent)));
    }

    static PublicKey ec(byte[] ecParams, byte[] ecPoint) throws GeneralSecurityException {
        byte[] point = ecPoint;
        if (lengthOfOctetString(ecPoint) == ecPoint.length) {
            byte[] content = octetStringContent(ecPoint);
            if (content.length > 0 && content[0] == 0x04 && isUncompressedPointLength(content.length)) {
                point = content;
            }
        }
        byte[] algorithm = sequence(concat(EC_PUBLIC_KEY_OID, ecParams));
        byte[] bitString = tlv(0x03, concat(new byte[] {0}, point));
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(sequence(concat(algorithm, bitString))));
    }

    /** Uncompressed points on P-256, P-384 and P-521: 0x04 || X || Y. */
    private static boolean isUncompressedPointLength(int length) {
        return length == 65 || length == 97 || length == 133;
    }

    /** The total length of a DER OCTET STRING starting at 0, or -1 when it is not one. */
    private static int lengthOfOctetString(byte[] der) {
        if (der.length < 2 || der[0] != 0x04) {
            return -1;
        }
        int first = der[1] & 0xFF;
        if (first < 0x80) {
            return 2 + first;
        }
        int count = first & 0x7F;
        if (count == 0 || count > 3 || der.length < 2 + count) {
            return -1;
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = length << 8 | der[2 + i] & 0xFF;
        }
        return 2 + count + length;
    }

    private static byte[] octetStringContent(byte[] der) {
        int first = der[1] & 0xFF;
        int header = first < 0x80 ? 2 : 2 + (first & 0x7F);
        byte[] content = new byte[der.length - header];
        System.arraycopy(der, header, content, 0, content.length);
        return content;
    }

    /** DER OID of a named curve, for {@code CKA_EC_PARAMS}. */
    static byte[] curveOid(String curve) {
        switch (curve) {
            case "P-256": return new byte[] {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
            case "P-384": return new byte[] {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x22};
            case "P-521": return new byte[] {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x23};
            default: throw new IllegalArgumentException("unknown curve " + curve);
        }
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
        out.write(content, 0, content.length);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
