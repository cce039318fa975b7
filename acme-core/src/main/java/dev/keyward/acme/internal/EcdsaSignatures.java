package dev.keyward.acme.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Converts ECDSA signatures between the DER {@code SEQUENCE { INTEGER r, INTEGER s }} that JCA
 * providers, PKCS#11 tokens and KMS services return and the fixed-length R||S that JWS requires
 * (RFC 7518 section 3.4).
 */
public final class EcdsaSignatures {
    private EcdsaSignatures() {
    }

    /**
     * DER to R||S.
     *
     * @param der the DER signature
     * @param coordinateLength 32, 48 or 66
     * @return R||S, each left-padded with zeros to {@code coordinateLength}
     * @throws IllegalArgumentException if the input is not a well-formed DER ECDSA signature for
     *     that length
     */
    public static byte[] derToConcat(byte[] der, int coordinateLength) {
        if (der == null || der.length < 8) {
            throw new IllegalArgumentException("ECDSA signature too short to be DER");
        }
        int[] pos = {0};
        if ((der[pos[0]++] & 0xff) != 0x30) {
            throw new IllegalArgumentException("ECDSA signature is not a DER SEQUENCE");
        }
        int seqLength = readLength(der, pos);
        if (seqLength != der.length - pos[0]) {
            throw new IllegalArgumentException("ECDSA signature DER length does not match its size");
        }
        byte[] r = readInteger(der, pos, coordinateLength);
        byte[] s = readInteger(der, pos, coordinateLength);
        if (pos[0] != der.length) {
            throw new IllegalArgumentException("trailing bytes after ECDSA signature");
        }
        byte[] out = new byte[2 * coordinateLength];
        System.arraycopy(r, 0, out, coordinateLength - r.length, r.length);
        System.arraycopy(s, 0, out, 2 * coordinateLength - s.length, s.length);
        return out;
    }

    /**
     * R||S to DER.
     *
     * @param concat R||S of even length
     * @return the DER signature
     * @throws IllegalArgumentException if the length is odd or zero
     */
    public static byte[] concatToDer(byte[] concat) {
        if (concat == null || concat.length == 0 || concat.length % 2 != 0) {
            throw new IllegalArgumentException("R||S signature must have a positive even length");
        }
        int half = concat.length / 2;
        byte[] r = derInteger(Arrays.copyOfRange(concat, 0, half));
        byte[] s = derInteger(Arrays.copyOfRange(concat, half, concat.length));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, r.length + s.length);
        out.writeBytes(r);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] readInteger(byte[] der, int[] pos, int coordinateLength) {
        if (pos[0] >= der.length || (der[pos[0]++] & 0xff) != 0x02) {
            throw new IllegalArgumentException("ECDSA signature lacks a DER INTEGER");
        }
        int length = readLength(der, pos);
        if (length == 0 || pos[0] + length > der.length) {
            throw new IllegalArgumentException("ECDSA signature INTEGER has a bad length");
        }
        int start = pos[0];
        pos[0] += length;
        if ((der[start] & 0x80) != 0) {
            throw new IllegalArgumentException("ECDSA signature INTEGER is negative");
        }
        while (length > 1 && der[start] == 0) {
            start++;
            length--;
        }
        if (length > coordinateLength) {
            throw new IllegalArgumentException("ECDSA signature value longer than " + coordinateLength + " bytes");
        }
        return Arrays.copyOfRange(der, start, start + length);
    }

    private static int readLength(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            throw new IllegalArgumentException("truncated DER length");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int count = first & 0x7f;
        if (count == 0 || count > 2 || pos[0] + count > der.length) {
            throw new IllegalArgumentException("unsupported DER length encoding");
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[pos[0]++] & 0xff);
        }
        return length;
    }

    private static byte[] derInteger(byte[] unsigned) {
        int start = 0;
        while (start < unsigned.length - 1 && unsigned[start] == 0) {
            start++;
        }
        boolean pad = (unsigned[start] & 0x80) != 0;
        int length = unsigned.length - start + (pad ? 1 : 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x02);
        writeLength(out, length);
        if (pad) {
            out.write(0);
        }
        out.write(unsigned, start, unsigned.length - start);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
    }
}
