package dev.keyward.acme.internal;

import dev.keyward.acme.AcmeProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only JSON object from the server (one of {@link JsonTree}'s maps) with typed accessors. A missing required field or a
 * value of the wrong type raises {@link AcmeProtocolException} naming the field and the resource;
 * it never surfaces as a {@code NullPointerException} or {@code ClassCastException}.
 */
public final class JsonObject {
    /**
     * The longest URL accepted from a CA, in characters: far above any CA's, low enough that a URL
     * quoted in a message stays readable.
     */
    public static final int MAX_URL_LENGTH = 2048;

    /** The members, unmodifiable, in document order; a JSON {@code null} is a {@code null} value. */
    private final Map<String, Object> members;
    private final String what;

    JsonObject(Map<String, Object> members, String what) {
        this.members = members;
        this.what = what;
    }

    /**
     * Whether the field is present and not {@code null}.
     *
     * @param name the field
     * @return whether it has a value
     */
    public boolean has(String name) {
        return members.get(name) != null;
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
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String)) {
            throw wrongType(name, "a string");
        }
        return Optional.of((String) v);
    }

    /**
     * An optional integer.
     *
     * @param name the field
     * @return the value, or empty
     */
    public Optional<Integer> optInt(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        // An integral number that fits an int (JsonTree reads those, and only those, as Integer).
        if (!(v instanceof Integer)) {
            throw wrongType(name, "an integer");
        }
        return Optional.of((Integer) v);
    }

    /**
     * An optional boolean.
     *
     * @param name the field
     * @return the value, or empty
     */
    public Optional<Boolean> optBoolean(String name) {
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Boolean)) {
            throw wrongType(name, "a boolean");
        }
        return Optional.of((Boolean) v);
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
        Object v = members.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map)) {
            throw wrongType(name, "an object");
        }
        return Optional.of(new JsonObject(membersOf(v), what + "." + name));
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
        for (Object v : array(name)) {
            if (!(v instanceof Map)) {
                throw wrongType(name + "[" + i + "]", "an object");
            }
            out.add(new JsonObject(membersOf(v), what + "." + name + "[" + i + "]"));
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
        for (Object v : array(name)) {
            if (!(v instanceof String)) {
                throw wrongType(name + "[" + i + "]", "a string");
            }
            out.add((String) v);
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
        return new ArrayList<>(members.keySet());
    }

    /**
     * Every field as plain Java values (maps, lists, strings, numbers, booleans, {@code null}).
     *
     * @return an unmodifiable map in document order
     */
    public Map<String, Object> toMap() {
        return members;
    }

    /**
     * One field as a plain Java value.
     *
     * @param name the field
     * @return the value, or empty when absent
     */
    public Optional<Object> value(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /**
     * The object as JSON text.
     *
     * @return compact JSON
     */
    public String toJson() {
        return Json.write(members);
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

    private List<?> array(String name) {
        Object v = members.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw wrongType(name, "an array");
        }
        return (List<?>) v;
    }

    /** A nested object of the tree: JsonTree reads every object as a map with string keys. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> membersOf(Object object) {
        return (Map<String, Object>) object;
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
