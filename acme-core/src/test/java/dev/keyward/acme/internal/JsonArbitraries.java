package dev.keyward.acme.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of what an ACME server might send instead of what it should: arbitrary JSON
 * values whose field names and strings lean towards those of RFC 8555 resources (so that generated
 * documents get past the first check often enough to reach the deeper ones), mutated copies of
 * real documents, and raw bytes. Shared by the parser properties of both packages.
 */
public final class JsonArbitraries {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Field names of directories, accounts, orders, authorizations, challenges and problems. */
    private static final List<String> ACME_FIELDS = List.of("newNonce", "newAccount", "newOrder", "newAuthz",
            "revokeCert", "keyChange", "renewalInfo", "meta", "termsOfService", "website", "caaIdentities",
            "externalAccountRequired", "status", "contact", "termsOfServiceAgreed", "orders", "expires",
            "identifiers", "identifier", "type", "value", "notBefore", "notAfter", "error", "authorizations",
            "finalize", "certificate", "challenges", "wildcard", "url", "token", "validated", "title", "detail",
            "instance", "subproblems");

    private JsonArbitraries() {
    }

    /** Any JSON value, nested at most three levels. */
    public static Arbitrary<JsonNode> values() {
        return values(3);
    }

    /** Any JSON object, nested at most three levels. */
    public static Arbitrary<ObjectNode> objects() {
        return objects(3);
    }

    /** Strings an ACME parser meets: status words, URLs good and bad, timestamps good and bad, anything. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("pending", "ready", "processing", "valid", "invalid", "revoked",
                        "deactivated", "expired", "Valid", "unknown", "", " ", "dns", "ip", "http-01", "dns-01",
                        "tls-alpn-01", "urn:ietf:params:acme:error:badNonce", "urn:ietf:params:acme:error:",
                        "about:blank", "mailto:admin@example.org")),
                Tuple.of(3, urls()),
                Tuple.of(2, timestamps()),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
    }

    /** URL-like strings: absolute http(s), other schemes, relative, broken, hosts OkHttp refuses. */
    public static Arbitrary<String> urls() {
        Arbitrary<String> hosts = Arbitraries.of("ca.example", "127.0.0.1", "[::1]", "localhost:14000",
                "ca.example:0", "ca.example:65536", "a".repeat(64) + ".example", "exa_mple.org", "", "[fe80::1%25eth0]",
                "xn--nxasmq6b.example", "ca..example");
        Arbitrary<String> schemes = Arbitraries.of("https://", "http://", "HTTPS://", "ftp://", "data:", "", "//",
                "file:///", "https:");
        Arbitrary<String> paths = Arbitraries.strings().withChars("abc/%?#.:-_ ~[]@!$&'()*+,;=\\\"<>{}|^`\u00e9")
                .ofMaxLength(12).map(p -> "/" + p);
        return Combinators.combine(schemes, hosts, paths).as((scheme, host, path) -> scheme + host + path);
    }

    /** RFC 3339 timestamps and near misses. */
    public static Arbitrary<String> timestamps() {
        return Arbitraries.of("2016-01-05T14:09:07.99Z", "2016-01-01T00:04:00+04:00", "2016-01-01T00:04:00",
                "2016-01-01", "2016-13-45T99:99:99Z", "2016-01-05t14:09:07z", "1452002947",
                "+999999999-12-31T23:59:59Z",
                "-1000000000-01-01T00:00:00Z", "2016-01-05T14:09:07.123456789123Z", "Tue, 05 Jan 2016 14:09:07 GMT");
    }

    /** A JSON scalar: null, boolean, numbers of every size, strings. */
    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((JsonNode) JSON.nullNode())),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) JSON.booleanNode(b))),
                Tuple.of(2, Arbitraries.integers().map(i -> (JsonNode) JSON.numberNode(i))),
                Tuple.of(1, Arbitraries.longs().map(l -> (JsonNode) JSON.numberNode(l))),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.ONE.shiftLeft(200).negate(),
                        BigInteger.ONE.shiftLeft(200)).map(i -> (JsonNode) JSON.numberNode(i))),
                Tuple.of(1, Arbitraries.doubles().map(d -> (JsonNode) JSON.numberNode(d))),
                Tuple.of(1, Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                        .ofScale(30).map(d -> (JsonNode) JSON.numberNode(d))),
                Tuple.of(6, strings().map(t -> (JsonNode) JSON.textNode(t))));
    }

    /** Field names: mostly those of ACME resources, sometimes anything. */
    public static Arbitrary<String> fieldNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(ACME_FIELDS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
    }

    private static Arbitrary<JsonNode> values(int depth) {
        if (depth == 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(5, scalars()),
                Tuple.of(2, values(depth - 1).list().ofMaxSize(3).map(JsonArbitraries::array)),
                Tuple.of(3, objects(depth - 1).map(o -> (JsonNode) o)));
    }

    private static Arbitrary<ObjectNode> objects(int depth) {
        Arbitrary<JsonNode> fieldValues = depth == 0 ? scalars() : values(depth - 1);
        return Arbitraries.maps(fieldNames(), fieldValues).ofMaxSize(6).map(JsonArbitraries::object);
    }

    /**
     * Copies of a document with one to four changes, each at a field or element anywhere in it:
     * removed, set to {@code null}, replaced by any JSON value or by a string, wrapped in an array,
     * or emptied.
     */
    public static Arbitrary<JsonNode> mutationsOf(JsonNode document) {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Mutation.Kind.values()),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), values(1)).as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(4).map(mutations -> {
            JsonNode copy = document.deepCopy();
            for (Mutation m : mutations) {
                m.applyTo(copy);
            }
            return copy;
        });
    }

    /** The bytes of a JSON document: well formed, cut short, or with a stray byte. */
    public static Arbitrary<byte[]> damagedBytesOf(Arbitrary<? extends JsonNode> documents) {
        return Combinators.combine(documents, Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.bytes())
                .as((document, damage, position, stray) -> {
                    byte[] bytes = document.toString().getBytes(StandardCharsets.UTF_8);
                    if (damage == 0 || bytes.length == 0) {
                        return bytes;
                    }
                    int at = position % bytes.length;
                    if (damage == 1) {
                        return Arrays.copyOf(bytes, at);
                    }
                    bytes[at] = stray;
                    return bytes;
                });
    }

    /** Raw bodies: random bytes, text, nesting deeper than any sane limit, JSON that is no object. */
    public static Arbitrary<byte[]> rawBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(64).map(JsonArbitraries::utf8)),
                Tuple.of(1, Arbitraries.integers().between(1, 200).map(depth ->
                        utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))),
                Tuple.of(1, Arbitraries.integers().between(1, 200).map(depth ->
                        utf8("[".repeat(depth) + "]".repeat(depth)))),
                Tuple.of(1, Arbitraries.integers().between(60, 2000).map(digits ->
                        utf8("{\"status\": " + "9".repeat(digits) + "}"))),
                Tuple.of(2, values().map(v -> utf8(v.toString()))));
    }

    /** Parses JSON text, for fixtures. */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode array(List<JsonNode> elements) {
        ArrayNode array = JSON.arrayNode();
        elements.forEach(array::add);
        return array;
    }

    private static ObjectNode object(Map<String, JsonNode> fields) {
        ObjectNode object = JSON.objectNode();
        fields.forEach(object::set);
        return object;
    }

    /** One change at one place of a document; {@code pick} chooses the place among all there are. */
    private static final class Mutation {
        enum Kind { REMOVE, NULL, REPLACE, STRING, WRAP_IN_ARRAY, EMPTY }

        private final Kind kind;
        private final int pick;
        private final JsonNode replacement;

        Mutation(Kind kind, int pick, JsonNode replacement) {
            this.kind = kind;
            this.pick = pick;
            this.replacement = replacement;
        }

        void applyTo(JsonNode document) {
            List<Place> places = new ArrayList<>();
            collect(document, places);
            if (places.isEmpty()) {
                return;
            }
            Place place = places.get(pick % places.size());
            JsonNode current = place.get();
            switch (kind) {
                case REMOVE:
                    place.remove();
                    break;
                case NULL:
                    place.set(JSON.nullNode());
                    break;
                case REPLACE:
                    place.set(replacement);
                    break;
                case STRING:
                    place.set(JSON.textNode(replacement.isTextual() ? replacement.textValue()
                            : replacement.toString()));
                    break;
                case WRAP_IN_ARRAY:
                    place.set(JSON.arrayNode().add(current));
                    break;
                case EMPTY:
                    place.set(current.isArray() ? JSON.arrayNode() : current.isTextual() ? JSON.textNode("")
                            : JSON.objectNode());
                    break;
                default:
                    throw new IllegalStateException(kind.name());
            }
        }

        private static void collect(JsonNode node, List<Place> places) {
            if (node.isObject()) {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    places.add(new Place((ObjectNode) node, name, -1));
                    collect(node.get(name), places);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    places.add(new Place((ArrayNode) node, null, i));
                    collect(node.get(i), places);
                }
            }
        }

        @Override
        public String toString() {
            return kind + "@" + pick + (kind == Kind.REPLACE || kind == Kind.STRING ? "=" + replacement : "");
        }
    }

    /** A field of an object or an element of an array. */
    private static final class Place {
        private final ContainerNode<?> parent;
        private final String name;
        private final int index;

        Place(ContainerNode<?> parent, String name, int index) {
            this.parent = parent;
            this.name = name;
            this.index = index;
        }

        JsonNode get() {
            return name != null ? parent.get(name) : parent.get(index);
        }

        void set(JsonNode value) {
            if (name != null) {
                ((ObjectNode) parent).set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (name != null) {
                ((ObjectNode) parent).remove(name);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }
}
