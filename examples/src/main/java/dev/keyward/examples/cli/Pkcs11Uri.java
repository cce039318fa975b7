package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.pkcs11.Pkcs11Exception;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A key in a PKCS#11 token named by an RFC 7512 URI, wherever the command line takes a key file
 * ({@code --account-key}, {@code --key}):
 * {@code pkcs11:token=ops;object=acct?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234}.
 *
 * <p>Path attributes: {@code token} (the token label) or {@code slot-id}, {@code object} (the key
 * label, which is the keytool alias), and optionally {@code type=private}. Query attributes:
 * {@code module-path} (required), and the PIN as {@code pin-value} or {@code pin-source=file:PATH}
 * (the file's first line). Values may be percent-encoded. Attributes that would narrow the choice in
 * ways Keyward cannot honour ({@code id}, {@code serial}, {@code module-name}, ...) are refused rather
 * than ignored. The store stays open until the command closes its {@link OpenedResources}.
 */
final class Pkcs11Uri {
    static final String SCHEME = "pkcs11:";

    private static final Set<String> PATH_ATTRIBUTES = Set.of("token", "object", "slot-id", "type");
    private static final Set<String> UNSUPPORTED_PATH_ATTRIBUTES = Set.of("id", "manufacturer", "model", "serial",
            "library-manufacturer", "library-description", "library-version", "slot-description", "slot-manufacturer");
    private static final Set<String> QUERY_ATTRIBUTES = Set.of("module-path", "pin-value", "pin-source");

    private final String token;
    private final Long slotId;
    private final String object;
    private final Path modulePath;
    private final char[] pinValue;
    private final Path pinSource;

    private Pkcs11Uri(String token, Long slotId, String object, Path modulePath, char[] pinValue, Path pinSource) {
        this.token = token;
        this.slotId = slotId;
        this.object = object;
        this.modulePath = modulePath;
        this.pinValue = pinValue;
        this.pinSource = pinSource;
    }

    /** Whether a key option's value is a PKCS#11 URI rather than a file path. */
    static boolean isPkcs11(String spec) {
        return spec.startsWith(SCHEME);
    }

    /**
     * A key option's value fit to print: a PKCS#11 URI with its {@code pin-value} masked, anything
     * else unchanged.
     */
    static String redacted(String spec) {
        return isPkcs11(spec) ? spec.replaceAll("(?i)([?&]pin-value=)[^&]*", "$1***") : spec;
    }

    /** Parses a PKCS#11 URI; the message of a refusal says which attribute is wrong. */
    static Pkcs11Uri parse(String spec) throws ConfigException {
        if (!isPkcs11(spec)) {
            throw new ConfigException("not a PKCS#11 URI (it starts with " + SCHEME + "): " + spec);
        }
        String rest = spec.substring(SCHEME.length());
        int question = rest.indexOf('?');
        String pathPart = question < 0 ? rest : rest.substring(0, question);
        String queryPart = question < 0 ? "" : rest.substring(question + 1);
        Map<String, String> path = attributes(pathPart, ';', "path");
        Map<String, String> query = attributes(queryPart, '&', "query");
        for (String name : path.keySet()) {
            if (UNSUPPORTED_PATH_ATTRIBUTES.contains(name)) {
                throw new ConfigException("PKCS#11 URI attribute '" + name + "' is not supported: name the token with"
                        + " token= or slot-id= and the key with object=");
            }
            if (!PATH_ATTRIBUTES.contains(name)) {
                throw new ConfigException("unknown PKCS#11 URI path attribute '" + name + "'");
            }
        }
        for (String name : query.keySet()) {
            if (name.equals("module-name")) {
                throw new ConfigException("PKCS#11 URI attribute module-name is not supported: give module-path");
            }
            if (!QUERY_ATTRIBUTES.contains(name)) {
                throw new ConfigException("unknown PKCS#11 URI query attribute '" + name + "'");
            }
        }
        String type = path.get("type");
        if (type != null && !decode(type).equals("private")) {
            throw new ConfigException("PKCS#11 URI type=" + type + " cannot sign: the key must be type=private");
        }
        String object = decodeRequired(path, "object", "name the key with object=LABEL (its keytool alias)");
        String token = path.containsKey("token") ? decode(path.get("token")) : null;
        Long slotId = path.containsKey("slot-id") ? slotId(decode(path.get("slot-id"))) : null;
        if (token == null && slotId == null) {
            throw new ConfigException("PKCS#11 URI names no token: give token=LABEL or slot-id=N");
        }
        Path modulePath = Path.of(decodeRequired(query, "module-path",
                "give the PKCS#11 library as module-path=/path/to/library.so"));
        if (query.containsKey("pin-value") && query.containsKey("pin-source")) {
            throw new ConfigException("PKCS#11 URI gives both pin-value and pin-source: keep one");
        }
        char[] pinValue = query.containsKey("pin-value") ? decodeToChars(query.get("pin-value")) : null;
        Path pinSource = query.containsKey("pin-source") ? pinSourceFile(decode(query.get("pin-source"))) : null;
        return new Pkcs11Uri(token, slotId, object, modulePath, pinValue, pinSource);
    }

    /**
     * Opens the token (logging in with the URI's PIN) and returns the signer of the key; the store
     * goes to {@code resources}, so the command closes it whatever happens.
     */
    AcmeSigner signer(OpenedResources resources) throws ConfigException {
        Pkcs11KeyStore.Builder builder = Pkcs11KeyStore.builder().library(modulePath);
        if (slotId != null) {
            builder.slot(slotId);
        } else {
            builder.tokenLabel(token);
        }
        if (pinValue != null) {
            builder.pin(pinValue);
            Arrays.fill(pinValue, '\0');
        } else if (pinSource != null) {
            builder.pinCallback(() -> readPin(pinSource));
        }
        try {
            Pkcs11KeyStore store = resources.add(builder.open());
            if (token != null && slotId != null && !store.tokenLabel().equals(token)) {
                throw new ConfigException("slot " + slotId + " holds token '" + store.tokenLabel() + "', not '"
                        + token + "' as " + this + " says");
            }
            return store.signer(object);
        } catch (Pkcs11Exception e) {
            throw new ConfigException("PKCS#11 key " + this + ": " + e.getMessage(), e);
        }
    }

    /** The URI without its PIN. */
    @Override
    public String toString() {
        return SCHEME + (token != null ? "token=" + token + ";" : "") + (slotId != null ? "slot-id=" + slotId + ";" : "")
                + "object=" + object + "?module-path=" + modulePath;
    }

    private static Map<String, String> attributes(String part, char separator, String where) throws ConfigException {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return attributes;
        }
        for (String attribute : part.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            int equals = attribute.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("malformed PKCS#11 URI " + where + " attribute '" + safe(attribute)
                        + "': expected NAME=VALUE");
            }
            String name = attribute.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
            if (attributes.put(name, attribute.substring(equals + 1)) != null) {
                throw new ConfigException("PKCS#11 URI repeats the attribute '" + name + "'");
            }
        }
        return attributes;
    }

    private static String decodeRequired(Map<String, String> attributes, String name, String hint)
            throws ConfigException {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigException("PKCS#11 URI lacks " + name + ": " + hint);
        }
        return decode(value);
    }

    private static Long slotId(String value) throws ConfigException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("PKCS#11 URI slot-id must be a decimal number, not '" + value + "'", e);
        }
    }

    private static Path pinSourceFile(String source) throws ConfigException {
        String path = source.startsWith("file://") ? source.substring("file://".length())
                : source.startsWith("file:") ? source.substring("file:".length()) : source;
        if (path.isEmpty() || source.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !source.startsWith("file:")) {
            throw new ConfigException("PKCS#11 URI pin-source must be a file (file:PATH), not '" + source + "'");
        }
        return Path.of(path);
    }

    /** The first line of the PIN file, never held as a String. */
    private static char[] readPin(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            char[] pin = new char[end];
            chars.get(pin, 0, end);
            return pin;
        } catch (CharacterCodingException e) {
            throw new IOException("PIN file " + file + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    private static String decode(String value) throws ConfigException {
        char[] chars = decodeToChars(value);
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Percent-decoding (RFC 7512 section 2.3, RFC 3986 section 2.1), UTF-8. */
    private static char[] decodeToChars(String value) throws ConfigException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < value.length()) {
            if (value.charAt(i) == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new ConfigException("PKCS#11 URI has a malformed percent-encoding");
                }
                bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 3;
            } else {
                int codePoint = value.codePointAt(i);
                byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint);
            }
        }
        byte[] raw = bytes.toByteArray();
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            if (decoded.hasArray()) {
                Arrays.fill(decoded.array(), '\0');
            }
            return chars;
        } catch (CharacterCodingException e) {
            throw new ConfigException("PKCS#11 URI has a percent-encoding that is not UTF-8", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** An attribute for an error message: a PIN is never echoed. */
    private static String safe(String attribute) {
        return attribute.toLowerCase(java.util.Locale.ROOT).startsWith("pin-value") ? "pin-value=..." : attribute;
    }
}
