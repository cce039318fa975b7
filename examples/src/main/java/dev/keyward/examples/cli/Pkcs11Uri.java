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
 * ({@code --account-key}, {@code --key}), and where {@code key generate} makes one:
 * {@code pkcs11:token=ops;object=acct?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin}.
 *
 * <p>The scheme is case-insensitive (RFC 3986 section 3.1). Path attributes: {@code token} (the token
 * label) or {@code slot-id}, and the key as {@code object} (the private key's {@code CKA_LABEL}),
 * {@code id} (its {@code CKA_ID}, percent-encoded bytes) or both; optionally {@code type=private}.
 * Query attributes: {@code module-path} (required), and the PIN as {@code pin-value} or
 * {@code pin-source=file:PATH} (the file's first line). Values may be percent-encoded; a PIN holding
 * {@code &} must write it {@code %26}. Attributes that would narrow the choice in ways Keyward cannot
 * honour ({@code serial}, {@code module-name}, ...) are refused rather than ignored. A URI that cannot
 * be read is a usage error (exit 2) whose message never shows a query attribute's text, since any of
 * it may be a PIN. The store stays open until the command closes its {@link OpenedResources}.
 */
final class Pkcs11Uri {
    static final String SCHEME = "pkcs11:";

    private static final Set<String> PATH_ATTRIBUTES = Set.of("token", "object", "id", "slot-id", "type");
    private static final Set<String> UNSUPPORTED_PATH_ATTRIBUTES = Set.of("manufacturer", "model", "serial",
            "library-manufacturer", "library-description", "library-version", "slot-description", "slot-manufacturer");
    private static final Set<String> QUERY_ATTRIBUTES = Set.of("module-path", "pin-value", "pin-source");
    /** Query attributes whose values are no secret, so a redacted URI shows them. */
    private static final Set<String> PUBLIC_QUERY_ATTRIBUTES = Set.of("module-path", "module-name", "pin-source");
    private static final String PIN_HINT = "its text is not shown, as it may hold a PIN; write '&' in a PIN as %26";

    private final String token;
    private final Long slotId;
    private final String object;
    private final byte[] id;
    private final Path modulePath;
    private final char[] pinValue;
    private final Path pinSource;

    private Pkcs11Uri(String token, Long slotId, String object, byte[] id, Path modulePath, char[] pinValue,
            Path pinSource) {
        this.token = token;
        this.slotId = slotId;
        this.object = object;
        this.id = id;
        this.modulePath = modulePath;
        this.pinValue = pinValue;
        this.pinSource = pinSource;
    }

    /** Whether a key option's value is a PKCS#11 URI (the scheme in any case) rather than a file path. */
    static boolean isPkcs11(String spec) {
        return spec.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * A key option's value fit to print: in a PKCS#11 URI, every query attribute but
     * {@code module-path}, {@code module-name} and {@code pin-source} is masked, whether well-formed
     * or not (the tail of a PIN cut at an unencoded {@code &} is masked too), and so is any path
     * attribute named {@code pin-...}; anything else is unchanged.
     */
    static String redacted(String spec) {
        if (!isPkcs11(spec)) {
            return spec;
        }
        int question = spec.indexOf('?');
        String path = question < 0 ? spec : spec.substring(0, question);
        StringBuilder out = new StringBuilder(path.replaceAll("(?i)((?:^|;|:)pin-[^=;]*=)[^;]*", "$1***"));
        if (question >= 0) {
            out.append('?');
            String[] attributes = spec.substring(question + 1).split("&", -1);
            for (int i = 0; i < attributes.length; i++) {
                if (i > 0) {
                    out.append('&');
                }
                String attribute = attributes[i];
                int equals = attribute.indexOf('=');
                String name = equals < 0 ? "" : attribute.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
                if (PUBLIC_QUERY_ATTRIBUTES.contains(name)) {
                    out.append(attribute);
                } else if (QUERY_ATTRIBUTES.contains(name)) {
                    out.append(attribute, 0, equals + 1).append("***");
                } else {
                    out.append("***");
                }
            }
        }
        return out.toString();
    }

    /** Parses a PKCS#11 URI; the message of a refusal says which attribute is wrong, never a PIN. */
    static Pkcs11Uri parse(String spec) throws UsageException {
        if (!isPkcs11(spec)) {
            throw new UsageException("not a PKCS#11 URI (it starts with " + SCHEME + "): " + redacted(spec));
        }
        String rest = spec.substring(SCHEME.length());
        int question = rest.indexOf('?');
        String pathPart = question < 0 ? rest : rest.substring(0, question);
        String queryPart = question < 0 ? "" : rest.substring(question + 1);
        Map<String, String> path = attributes(pathPart, ';', "path");
        Map<String, String> query = attributes(queryPart, '&', "query");
        for (String name : path.keySet()) {
            if (UNSUPPORTED_PATH_ATTRIBUTES.contains(name)) {
                throw new UsageException("PKCS#11 URI attribute '" + name + "' is not supported: name the token with"
                        + " token= or slot-id= and the key with object= or id=");
            }
            if (name.startsWith("pin-")) {
                throw new UsageException("PKCS#11 URI has " + name + " in its path: it belongs in the query, after ?");
            }
            if (!PATH_ATTRIBUTES.contains(name)) {
                throw new UsageException("unknown PKCS#11 URI path attribute '" + name + "'");
            }
        }
        int position = 0;
        for (String name : query.keySet()) {
            position++;
            if (name.equals("module-name")) {
                throw new UsageException("PKCS#11 URI attribute module-name is not supported: give module-path");
            }
            if (!QUERY_ATTRIBUTES.contains(name)) {
                throw new UsageException("unknown PKCS#11 URI query attribute (the " + ordinal(position) + "; "
                        + PIN_HINT + ")");
            }
        }
        String type = path.get("type");
        if (type != null && !decode(type).equals("private")) {
            throw new UsageException("PKCS#11 URI type=" + type + " cannot sign: the key must be type=private");
        }
        String object = path.containsKey("object") ? decodeRequired(path, "object", "") : null;
        byte[] id = path.containsKey("id") ? decodeToBytes(requireValue(path, "id")) : null;
        if (object == null && id == null) {
            throw new UsageException("PKCS#11 URI names no key: give object=LABEL (the private key's CKA_LABEL)"
                    + " or id=ID (its CKA_ID)");
        }
        String token = path.containsKey("token") ? decode(path.get("token")) : null;
        Long slotId = path.containsKey("slot-id") ? slotId(decode(path.get("slot-id"))) : null;
        if (token == null && slotId == null) {
            throw new UsageException("PKCS#11 URI names no token: give token=LABEL or slot-id=N");
        }
        Path modulePath = Path.of(decodeRequired(query, "module-path",
                "give the PKCS#11 library as module-path=/path/to/library.so"));
        if (query.containsKey("pin-value") && query.containsKey("pin-source")) {
            throw new UsageException("PKCS#11 URI gives both pin-value and pin-source: keep one");
        }
        char[] pinValue = query.containsKey("pin-value") ? decodeToChars(query.get("pin-value"), "pin-value") : null;
        Path pinSource = query.containsKey("pin-source") ? pinSourceFile(decode(query.get("pin-source"))) : null;
        return new Pkcs11Uri(token, slotId, object, id, modulePath, pinValue, pinSource);
    }

    /**
     * Opens the token (logging in with the URI's PIN) and returns the signer of the key; the store
     * goes to {@code resources}, so the command closes it whatever happens.
     */
    AcmeSigner signer(OpenedResources resources) throws ConfigException {
        Pkcs11KeyStore store = open(resources);
        try {
            return store.signer(object, id);
        } catch (Pkcs11Exception e) {
            throw new ConfigException("PKCS#11 key " + this + ": " + e.getMessage(), e);
        }
    }

    /** Whether the URI names the key by {@code id=}, which {@code key generate} chooses itself. */
    boolean hasId() {
        return id != null;
    }

    String object() {
        return object;
    }

    /**
     * Opens the token of this URI, logging in with its PIN; the store goes to {@code resources}.
     */
    Pkcs11KeyStore open(OpenedResources resources) throws ConfigException {
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
            return store;
        } catch (Pkcs11Exception e) {
            String hint = e.reason() == Pkcs11Exception.Reason.PIN_UNAVAILABLE && pinValue == null && pinSource == null
                    ? "; add pin-source=file:PATH (or pin-value=PIN) to the URI's query" : "";
            throw new ConfigException("PKCS#11 key " + this + ": " + e.getMessage() + hint, e);
        }
    }

    /** The URI without its PIN. */
    @Override
    public String toString() {
        return SCHEME + (token != null ? "token=" + token + ";" : "") + (slotId != null ? "slot-id=" + slotId + ";" : "")
                + (object != null ? "object=" + object : "") + (object != null && id != null ? ";" : "")
                + (id != null ? "id=" + percentEncode(id) : "") + "?module-path=" + modulePath;
    }

    /** RFC 7512 percent-encoding of a value: unreserved characters as they are, other bytes as %XX. */
    static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }

    private static String ordinal(int position) {
        switch (position) {
            case 1: return "1st";
            case 2: return "2nd";
            case 3: return "3rd";
            default: return position + "th";
        }
    }

    private static Map<String, String> attributes(String part, char separator, String where) throws UsageException {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return attributes;
        }
        int position = 0;
        for (String attribute : part.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            position++;
            int equals = attribute.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("malformed PKCS#11 URI " + where + " attribute (the " + ordinal(position)
                        + "): expected NAME=VALUE" + (where.equals("query") ? "; " + PIN_HINT : ""));
            }
            String name = attribute.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
            if (attributes.put(name, attribute.substring(equals + 1)) != null) {
                throw new UsageException("PKCS#11 URI repeats the attribute '" + name + "'");
            }
        }
        return attributes;
    }

    private static String decodeRequired(Map<String, String> attributes, String name, String hint)
            throws UsageException {
        return decode(requireValue(attributes, name, hint));
    }

    private static String requireValue(Map<String, String> attributes, String name) throws UsageException {
        return requireValue(attributes, name, "");
    }

    private static String requireValue(Map<String, String> attributes, String name, String hint)
            throws UsageException {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new UsageException("PKCS#11 URI " + (value == null ? "lacks " + name : "has an empty " + name)
                    + (hint.isEmpty() ? "" : ": " + hint));
        }
        return value;
    }

    private static Long slotId(String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("PKCS#11 URI slot-id must be a decimal number, not '" + value + "'");
        }
    }

    private static Path pinSourceFile(String source) throws UsageException {
        String path = source.startsWith("file://") ? source.substring("file://".length())
                : source.startsWith("file:") ? source.substring("file:".length()) : source;
        if (path.isEmpty() || source.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !source.startsWith("file:")) {
            throw new UsageException("PKCS#11 URI pin-source must be a file (file:PATH), not '" + source + "'");
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

    private static String decode(String value) throws UsageException {
        char[] chars = decodeToChars(value, null);
        try {
            return new String(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Percent-decoding (RFC 7512 section 2.3, RFC 3986 section 2.1) to bytes, for {@code id}. */
    private static byte[] decodeToBytes(String value) throws UsageException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < value.length()) {
            if (value.charAt(i) == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                        || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new UsageException("PKCS#11 URI has a malformed percent-encoding");
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
        return bytes.toByteArray();
    }

    /**
     * Percent-decoding to UTF-8 text. A failure in {@code secret} (the attribute's name, when its value
     * is a PIN) says so without a character of it.
     */
    private static char[] decodeToChars(String value, String secret) throws UsageException {
        byte[] raw;
        try {
            raw = decodeToBytes(value);
        } catch (UsageException e) {
            throw new UsageException(secret == null ? e.getMessage()
                    : "PKCS#11 URI has a malformed percent-encoding in " + secret);
        }
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
            throw new UsageException("PKCS#11 URI has a percent-encoding that is not UTF-8"
                    + (secret == null ? "" : " in " + secret));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
