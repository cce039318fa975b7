package dev.keyward.acme.reliability;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The printed forms in which secret key material could leak into text: a private key's PKCS#8
 * encoding (base64, base64url, hex, each full line of its PEM), its secret numbers (the EC scalar,
 * the RSA private exponent, primes and CRT values) in decimal, hex and the base64url of a private
 * JWK (RFC 7518 section 6), and a MAC key's bytes in base64url, base64 and hex. Besides whole
 * forms, any {@value #WINDOW} characters in a row of a secret number's or MAC key's form count as
 * a leak, so that a truncated or re-wrapped print is caught too. No public value (modulus, public
 * point) is among the needles.
 */
final class SecretForms {
    /** The length of the partial forms looked for: 96 bits or more of secret in every encoding. */
    static final int WINDOW = 24;

    private final Map<String, String> whole = new LinkedHashMap<>();
    private final Map<String, String> partial = new LinkedHashMap<>();

    /**
     * Adds the forms of a private key.
     *
     * @param label how to name the key in a finding
     * @param key an EC or RSA private key with its encoding
     * @return this
     */
    SecretForms privateKey(String label, PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        whole.put(label + " PKCS#8 base64", Base64.getEncoder().encodeToString(pkcs8));
        whole.put(label + " PKCS#8 base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8));
        whole.put(label + " PKCS#8 hex", HexFormat.of().formatHex(pkcs8));
        String pem = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8);
        String[] lines = pem.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].length() == 64) {
                whole.put(label + " PKCS#8 PEM line " + (i + 1), lines[i]);
            }
        }
        if (key instanceof ECPrivateKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            number(label + " EC private scalar", ec.getS(), size);
        } else if (key instanceof RSAPrivateCrtKey rsa) {
            int size = (rsa.getModulus().bitLength() + 7) / 8;
            number(label + " RSA private exponent", rsa.getPrivateExponent(), size);
            number(label + " RSA prime p", rsa.getPrimeP(), size / 2);
            number(label + " RSA prime q", rsa.getPrimeQ(), size / 2);
            number(label + " RSA CRT exponent dP", rsa.getPrimeExponentP(), size / 2);
            number(label + " RSA CRT exponent dQ", rsa.getPrimeExponentQ(), size / 2);
            number(label + " RSA CRT coefficient", rsa.getCrtCoefficient(), size / 2);
        } else {
            throw new IllegalArgumentException("not an EC or RSA CRT private key: " + key.getAlgorithm());
        }
        return this;
    }

    /**
     * Adds the forms of a MAC key.
     *
     * @param label how to name the key in a finding
     * @param key the raw key bytes
     * @return this
     */
    SecretForms macKey(String label, byte[] key) {
        secret(label + " base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        secret(label + " base64", Base64.getEncoder().encodeToString(key));
        secret(label + " hex", HexFormat.of().formatHex(key));
        return this;
    }

    /**
     * The secret forms found in a text, case-insensitively for hex.
     *
     * @param text the text to search, such as a log
     * @return the labels of the forms found, empty when none leaked
     */
    List<String> foundIn(String text) {
        List<String> found = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        whole.forEach((label, form) -> {
            if (text.contains(form) || (label.endsWith("hex") && lower.contains(form))) {
                found.add(label);
            }
        });
        Set<String> windows = windowsOf(text);
        windows.addAll(windowsOf(lower));
        partial.forEach((label, form) -> {
            for (int i = 0; i + WINDOW <= form.length(); i++) {
                if (windows.contains(form.substring(i, i + WINDOW))) {
                    found.add(label + " (" + WINDOW + " characters from offset " + i + ")");
                    return;
                }
            }
        });
        return found;
    }

    /** @return how many forms are looked for, whole and partial */
    int size() {
        return whole.size() + partial.size();
    }

    private void number(String label, BigInteger value, int size) {
        secret(label + " decimal", value.toString());
        secret(label + " hex", value.toString(16));
        byte[] fixed = unsigned(value, size);
        secret(label + " hex (fixed length)", HexFormat.of().formatHex(fixed));
        secret(label + " base64url (JWK)", Base64.getUrlEncoder().withoutPadding().encodeToString(fixed));
        secret(label + " base64", Base64.getEncoder().encodeToString(fixed));
    }

    private void secret(String label, String form) {
        whole.put(label, form);
        partial.put(label, label.contains("hex") ? form.toLowerCase(Locale.ROOT) : form);
    }

    private static byte[] unsigned(BigInteger value, int size) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[Math.max(size, raw.length - (raw[0] == 0 ? 1 : 0))];
        int skip = raw[0] == 0 && raw.length > 1 ? 1 : 0;
        System.arraycopy(raw, skip, out, out.length - (raw.length - skip), raw.length - skip);
        return out;
    }

    private static Set<String> windowsOf(String text) {
        Set<String> windows = new HashSet<>();
        for (int i = 0; i + WINDOW <= text.length(); i++) {
            windows.add(text.substring(i, i + WINDOW));
        }
        return windows;
    }
}
