package dev.keyward.acme.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Unpadded base64url (RFC 8555 section 6.1, RFC 7515 section 2). */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    /**
     * Encodes bytes.
     *
     * @param data the bytes
     * @return unpadded base64url
     */
    public static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    /**
     * Encodes the UTF-8 bytes of a string.
     *
     * @param text the text
     * @return unpadded base64url
     */
    public static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes base64url, with or without padding.
     *
     * @param text the encoded text
     * @return the bytes
     * @throws IllegalArgumentException if the text is not base64url
     */
    public static byte[] decode(String text) {
        return DECODER.decode(text);
    }
}
