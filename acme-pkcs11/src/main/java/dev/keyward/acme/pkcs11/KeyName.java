package dev.keyward.acme.pkcs11;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a private key is named (RFC 7512 section 2.3): by its {@code CKA_LABEL} ({@code object}), its
 * {@code CKA_ID} ({@code id}), or both.
 */
final class KeyName {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    final String label;
    private final byte[] id;

    private KeyName(String label, byte[] id) {
        this.label = label;
        this.id = id;
    }

    static KeyName of(String label, byte[] id) {
        if (label == null && id == null) {
            throw new IllegalArgumentException("name the key by its label, its id, or both");
        }
        if (id != null && id.length == 0) {
            throw new IllegalArgumentException("a key id must not be empty");
        }
        return new KeyName(label, id == null ? null : id.clone());
    }

    /** A key as the token lists it: either attribute may be missing or empty. */
    static KeyName found(String label, byte[] id) {
        return new KeyName(label == null || label.isEmpty() ? null : label, id == null || id.length == 0 ? null : id);
    }

    /** A search template for objects of {@code objectClass} with this name. */
    Template template(long objectClass) {
        Template template = new Template().add(Ck.CKA_CLASS, objectClass);
        if (label != null) {
            template.add(Ck.CKA_LABEL, label);
        }
        if (id != null) {
            template.add(Ck.CKA_ID, id);
        }
        return template;
    }

    /** For "no private key ..." messages. */
    String describe() {
        if (label != null && id != null) {
            return "labelled '" + label + "' with id=" + encode(id);
        }
        return label != null ? "labelled '" + label + "'" : "with id=" + encode(id);
    }

    /** The RFC 7512 path attributes that name this key. */
    String uriPath() {
        String object = label == null ? null : "object=" + encode(label.getBytes(StandardCharsets.UTF_8));
        String idPart = id == null ? null : "id=" + encode(id);
        if (object != null && idPart != null) {
            return object + ";" + idPart;
        }
        return object != null ? object : idPart != null ? idPart : "(no label, no id)";
    }

    /** RFC 7512 percent-encoding: unreserved characters as they are, every other byte as %XX. */
    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c < 0x80 && UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        if (label != null && id != null) {
            return "key '" + label + "' (id=" + encode(id) + ")";
        }
        return label != null ? "key '" + label + "'" : "key id=" + encode(id);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyName && java.util.Objects.equals(label, ((KeyName) other).label)
                && Arrays.equals(id, ((KeyName) other).id);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(label, Arrays.hashCode(id));
    }
}
