package dev.keyward.acme.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.keyward.acme.AcmeProtocolException;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * The one JSON reader and writer of Keyward (RFC 8259), on jackson-core's streaming parser and
 * generator alone: parses server JSON into {@link JsonTree}'s plain values and writes request
 * payloads. Every answer of the CA goes through {@link #parseObject}, which is strict: a member
 * name given twice in one object is a protocol error, never "the last one wins", since two readers
 * of the same answer could otherwise see two different resources.
 */
public final class Json {
    /** One factory for the process: it holds the parsers' symbol tables and buffer recycling. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build())
            .build();

    private Json() {
    }

    /**
     * Parses a JSON object.
     *
     * @param body the UTF-8 bytes
     * @param what what the body is, for the error message (for example "order https://...")
     * @return the object
     * @throws AcmeProtocolException if the body is not a JSON object, names a member twice in one
     *     object, or passes the limits on nesting (64), string length (1 MiB) or number length (64)
     */
    public static JsonObject parseObject(byte[] body, String what) {
        Object value;
        try (JsonParser parser = FACTORY.createParser(body)) {
            value = JsonTree.read(parser);
        } catch (StreamConstraintsException e) {
            String member = currentName(e);
            throw new AcmeProtocolException(what + (member == null ? "" : " at member '" + Quote.text(member, 100) + "'")
                    + " is not valid JSON for this client: it passes the limits on nesting (64 levels), strings (1 MiB)"
                    + " or numbers (64 digits)", e);
        } catch (JsonProcessingException e) {
            String duplicate = duplicateName(e);
            if (duplicate != null) {
                throw new AcmeProtocolException(what + " names the member '" + Quote.text(duplicate, 100)
                        + "' twice in one object: a CA must send each member once", e);
            }
            throw new AcmeProtocolException(what + " is not valid JSON: " + Quote.ca(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new AcmeProtocolException(what + " could not be read as JSON", e);
        }
        if (!(value instanceof Map)) {
            throw new AcmeProtocolException(what + " is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) value;
        return new JsonObject(members, what);
    }

    /**
     * Serializes a value to compact JSON (no white space): maps with string keys in their
     * iteration order, lists and other iterables, strings, numbers, booleans and {@code null}
     * (see {@link JsonTree#write}).
     *
     * @param value the value
     * @return the JSON text
     * @throws IllegalArgumentException if the value holds anything else
     */
    public static String write(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            JsonTree.write(generator, value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
        return text.toString();
    }

    /** The member name Jackson's duplicate detection refused, or null for another parse error. */
    private static String duplicateName(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith("Duplicate field '")) {
            return null;
        }
        String name = currentName(e);
        if (name != null) {
            return name;
        }
        return message.substring("Duplicate field '".length(), Math.max("Duplicate field '".length(),
                message.length() - 1));
    }

    /** The member the parser was reading when it failed, or null. */
    private static String currentName(JsonProcessingException e) {
        Object source = e.getProcessor();
        if (source instanceof JsonParser) {
            try {
                return ((JsonParser) source).currentName();
            } catch (IOException | RuntimeException ignored) {
                return null;
            }
        }
        return null;
    }
}
