package dev.keyward.acme.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.acme.AcmeProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only JSON object from the server with typed accessors. A missing required field or a
 * value of the wrong type raises {@link AcmeProtocolException} naming the field and the resource;
 * it never surfaces as a {@code NullPointerException} or {@code ClassCastException}.
 */
public final class JsonObject {
    /**
     * The longest URL accepted from a CA, in characters: far above any CA's, low enough that a URL
     * quoted in a message stays readable.
     */
    public static final int MAX_URL_LENGTH = 2048;

    private final JsonNode node;
    private final String what;

    JsonObject(JsonNode node, String what) {
        this.node = node;
        this.what = what;
    }

    /**
     * Whether the field is present and not {@code null}.
     *
     * @param name the field
     * @return whether it has a value
     */
    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /**
     * A required string.
     *
     * @param name the field
     * @return the value
     */
    public String string(String name) {
        return optString(name).orElseThrow(() -> missing(name));
    }

    /**
     * An optional string.
     *
     * @param name the field
     * @return the value, or empty when absent or {@code null}
     */
    public Optional<String> optString(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string");
        }
        return Optional.of(v.textValue());
    }

    /**
     * An optional integer.
     *
     * @param name the field
     * @return the value, or empty
     */
    public Optional<Integer> optInt(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isInt()) {
            throw wrongType(name, "an integer");
        }
        return Optional.of(v.intValue());
    }

    /**
     * An optional boolean.
     *
     * @param name the field
     * @return the value, or empty
     */
    public Optional<Boolean> optBoolean(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return Optional.of(v.booleanValue());
    }

    /**
     * A required absolute http(s) URL.
     *
     * @param name the field
     * @return the URL
     */
    public URI uri(String name) {
        return optUri(name).orElseThrow(() -> missing(name));
    }

    /**
     * An optional absolute http(s) URL.
     *
     * @param name the field
     * @return the URL, or empty
     */
    public Optional<URI> optUri(String name) {
        return optString(name).map(s -> toUri(name, s));
    }

    /**
     * An optional absolute URI of any scheme (for example the {@code data:} terms of service
     * some test CAs link to).
     *
     * @param name the field
     * @return the URI, or empty
     */
    public Optional<URI> optAnyUri(String name) {
        return optString(name).map(s -> {
            try {
                URI uri = new URI(s);
                if (!uri.isAbsolute()) {
                    throw new AcmeProtocolException(what + ": field '" + name + "' is not an absolute URI: " + abbreviate(s));
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new AcmeProtocolException(what + ": field '" + name + "' is not a URI: " + abbreviate(s), e);
            }
        });
    }

    /**
     * An optional RFC 3339 timestamp.
     *
     * @param name the field
     * @return the instant, or empty
     */
    public Optional<Instant> optInstant(String name) {
        return optString(name).map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new AcmeProtocolException(what + ": field '" + name + "' is not an RFC 3339 timestamp: "
                        + abbreviate(s), e);
            }
        });
    }

    /**
     * An optional nested object.
     *
     * @param name the field
     * @return the object, or empty
     */
    public Optional<JsonObject> optObject(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object");
        }
        return Optional.of(new JsonObject(v, what + "." + name));
    }

    /**
     * An array of objects; empty when absent.
     *
     * @param name the field
     * @return the objects
     */
    public List<JsonObject> objects(String name) {
        List<JsonObject> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : array(name)) {
            if (!v.isObject()) {
                throw wrongType(name + "[" + i + "]", "an object");
            }
            out.add(new JsonObject(v, what + "." + name + "[" + i + "]"));
            i++;
        }
        return out;
    }

    /**
     * An array of strings; empty when absent.
     *
     * @param name the field
     * @return the strings
     */
    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : array(name)) {
            if (!v.isTextual()) {
                throw wrongType(name + "[" + i + "]", "a string");
            }
            out.add(v.textValue());
            i++;
        }
        return out;
    }

    /**
     * An array of absolute URLs; empty when absent.
     *
     * @param name the field
     * @return the URLs
     */
    public List<URI> uris(String name) {
        List<URI> out = new ArrayList<>();
        for (String s : strings(name)) {
            out.add(toUri(name, s));
        }
        return out;
    }

    /**
     * The names of all fields, in document order.
     *
     * @return the names
     */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Every field as plain Java values (maps, lists, strings, numbers, booleans, {@code null}).
     *
     * @return an unmodifiable map in document order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), plain(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * One field as a plain Java value.
     *
     * @param name the field
     * @return the value, or empty when absent
     */
    public Optional<Object> value(String name) {
        JsonNode v = node.get(name);
        return v == null ? Optional.empty() : Optional.ofNullable(plain(v));
    }

    /**
     * The object as JSON text.
     *
     * @return compact JSON
     */
    public String toJson() {
        return node.toString();
    }

    /**
     * What this object is, for messages.
     *
     * @return the description
     */
    public String what() {
        return what;
    }

    @Override
    public String toString() {
        return toJson();
    }

    private Iterable<JsonNode> array(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(name, "an array");
        }
        return v;
    }

    private URI toUri(String name, String s) {
        if (s.length() > MAX_URL_LENGTH) {
            throw new AcmeProtocolException(what + ": field '" + name + "' is a URL of " + s.length()
                    + " characters, longer than the " + MAX_URL_LENGTH + " this client accepts: " + abbreviate(s));
        }
        try {
            URI uri = new URI(s);
            if (!HttpUrls.isUsable(uri)) {
                throw new AcmeProtocolException(what + ": field '" + name + "' is not an absolute http(s) URL: "
                        + abbreviate(s));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new AcmeProtocolException(what + ": field '" + name + "' is not a URL: " + abbreviate(s), e);
        }
    }

    private static Object plain(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
            return Collections.unmodifiableMap(m);
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(plain(x)));
            return Collections.unmodifiableList(l);
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        return null;
    }

    private AcmeProtocolException missing(String name) {
        return new AcmeProtocolException(what + " lacks the required field '" + name + "'");
    }

    private AcmeProtocolException wrongType(String name, String expected) {
        return new AcmeProtocolException(what + ": field '" + name + "' is not " + expected);
    }

    private static String abbreviate(String s) {
        return Quote.ca(s);
    }
}
