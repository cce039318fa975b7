package dev.keyward.acme.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyward's JSON tree (RFC 8259) as plain immutable Java values, read from and written to
 * jackson-core's streaming parser and generator: an object is an unmodifiable {@link Map} in
 * document order, an array an unmodifiable {@link List}, a string a {@link String}, {@code true}
 * and {@code false} a {@link Boolean}, {@code null} is {@code null}. An integral number is an
 * {@link Integer} when it fits, else a {@link Long} when it fits, else a {@link BigInteger}; a
 * number with a fraction or an exponent is a {@link Double}. These are the types (and so the
 * {@code equals}, the text written back) that Jackson's {@code JsonNode} tree gave, which
 * {@link JsonObject} and the maps it hands out were specified with.
 *
 * <p>Recursion is bounded by the parser's nesting limit (see {@link Json}) when reading and by the
 * generator's when writing.
 */
final class JsonTree {
    private JsonTree() {
    }

    /**
     * Reads the first value of the parser's input and nothing after it: content after the first
     * value is not looked at (as Jackson's {@code ObjectMapper.readTree} did).
     *
     * @param parser a parser at the start of its input
     * @return the value, or {@code null} for the JSON {@code null} or no content at all
     * @throws IOException if the input is not JSON or passes the parser's limits
     */
    static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : value(parser, token);
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new JsonParseException(parser, "Unexpected end-of-input");
        }
        switch (token) {
            case START_OBJECT:
                return object(parser);
            case START_ARRAY:
                return array(parser);
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return integral(parser);
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(parser, "Unexpected token " + token);
        }
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> members = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            members.put(name, value(parser, parser.nextToken()));
        }
        if (!parser.hasToken(JsonToken.END_OBJECT)) {
            throw new JsonParseException(parser, "Unexpected token " + parser.currentToken() + " in an object");
        }
        return Collections.unmodifiableMap(members);
    }

    private static List<Object> array(JsonParser parser) throws IOException {
        List<Object> elements = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            elements.add(value(parser, token));
        }
        return Collections.unmodifiableList(elements);
    }

    private static Number integral(JsonParser parser) throws IOException {
        switch (parser.getNumberType()) {
            case INT:
                return parser.getIntValue();
            case LONG:
                return parser.getLongValue();
            default:
                return parser.getBigIntegerValue();
        }
    }

    /**
     * Writes a value: a {@link Map} with string keys (in its iteration order), a {@link Iterable},
     * a {@link String}, a {@link Boolean}, an {@link Integer}, {@link Long}, {@link Short},
     * {@link Byte}, {@link BigInteger}, {@link BigDecimal}, {@link Double} or {@link Float}, or
     * {@code null}.
     *
     * @param generator the generator
     * @param value the value
     * @throws IOException if the generator fails
     * @throws IllegalArgumentException for a value (or a map key) of another type
     */
    static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String) {
            generator.writeString((String) value);
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (!(member.getKey() instanceof String)) {
                    throw new IllegalArgumentException("cannot serialize a map key of type "
                            + (member.getKey() == null ? "null" : member.getKey().getClass().getSimpleName()));
                }
                generator.writeFieldName((String) member.getKey());
                write(generator, member.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Iterable) {
            generator.writeStartArray();
            for (Object element : (Iterable<?>) value) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof Number) {
            number(generator, (Number) value);
        } else {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName());
        }
    }

    private static void number(JsonGenerator generator, Number value) throws IOException {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            generator.writeNumber(value.intValue());
        } else if (value instanceof Long) {
            generator.writeNumber(value.longValue());
        } else if (value instanceof Double) {
            generator.writeNumber(value.doubleValue());
        } else if (value instanceof Float) {
            generator.writeNumber(value.floatValue());
        } else if (value instanceof BigInteger) {
            generator.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            generator.writeNumber((BigDecimal) value);
        } else {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName());
        }
    }
}
