package dev.keyward.acme.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyward.acme.AcmeProtocolException;
import java.io.IOException;

/** The one Jackson mapper of Keyward: parses server JSON and writes request payloads. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    private Json() {
    }

    /**
     * Parses a JSON object.
     *
     * @param body the UTF-8 bytes
     * @param what what the body is, for the error message (for example "order https://...")
     * @return the object
     * @throws AcmeProtocolException if the body is not a JSON object
     */
    public static JsonObject parseObject(byte[] body, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AcmeProtocolException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new AcmeProtocolException(what + " could not be read as JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new AcmeProtocolException(what + " is not a JSON object");
        }
        return new JsonObject(node, what);
    }

    /**
     * Serializes a value (maps, lists, strings, numbers, booleans) to JSON.
     *
     * @param value the value
     * @return the JSON text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
