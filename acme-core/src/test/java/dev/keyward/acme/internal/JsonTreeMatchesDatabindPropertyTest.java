package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyward.acme.AcmeProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link Json} reads and writes as Keyward did when it read every answer with jackson-databind's
 * {@code ObjectMapper.readTree} (same duplicate detection, same limits) and wrote every payload with
 * {@code writeValueAsString}: what the resource parsers and the JWS tests were specified with. On
 * any bytes, either both accept and give the same members (same Java types, same order, same text
 * written back), or both refuse with the same parser error at the same member; and any value
 * writes to the same text.
 */
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class JsonTreeMatchesDatabindPropertyTest {
    private static final String WHAT = "order https://ca.example/acme/order/1";

    /** The mapper Keyward used before, configured as it was. */
    private static final ObjectMapper DATABIND = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    static {
        DATABIND.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    @Property(tries = 2000)
    void anyBodyIsReadOrRefusedAsDatabindsReadTreeDid(@ForAll("bodies") byte[] body) {
        JsonNode expected;
        try {
            expected = DATABIND.readTree(body);
        } catch (IOException databindRefused) {
            AcmeProtocolException refused = catchThrowableOfType(() -> Json.parseObject(body, WHAT),
                    AcmeProtocolException.class);
            assertThat(refused).as("refusal of %s", printable(body)).isNotNull();
            assertThat(refused.getCause()).isInstanceOf(databindRefused.getClass());
            assertThat(((JsonProcessingException) refused.getCause()).getOriginalMessage())
                    .isEqualTo(((JsonProcessingException) databindRefused).getOriginalMessage());
            assertThat(memberAt(refused.getCause())).isEqualTo(memberAt(databindRefused));
            return;
        }
        if (expected == null || !expected.isObject()) {
            AcmeProtocolException refused = catchThrowableOfType(() -> Json.parseObject(body, WHAT),
                    AcmeProtocolException.class);
            assertThat(refused).as("refusal of %s", printable(body)).isNotNull();
            assertThat(refused).hasMessage(WHAT + " is not a JSON object");
            return;
        }
        JsonObject object = Json.parseObject(body, WHAT);

        assertThat(object.toMap()).isEqualTo(DATABIND.convertValue(expected, Map.class));
        assertThat(object.fieldNames()).containsExactlyElementsOf(expected::fieldNames);
        assertThat(object.toJson()).isEqualTo(expected.toString());
    }

    @Property(tries = 1000)
    void anyValueIsWrittenAsDatabindWroteIt(@ForAll("values") Object value) throws IOException {
        assertThat(Json.write(value)).isEqualTo(DATABIND.writeValueAsString(value));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, JsonArbitraries.rawBodies()),
                Tuple.of(3, JsonArbitraries.damagedBytesOf(JsonArbitraries.objects())),
                Tuple.of(2, JsonArbitraries.objects().map(o -> utf8(o.toString()))),
                Tuple.of(2, numberTexts().map(n -> utf8("{\"status\":\"valid\",\"n\":" + n + "}"))),
                Tuple.of(1, Combinators.combine(JsonArbitraries.objects(), Arbitraries.of(" x", "{}", "]", "{",
                        " null", ",\"a\":1}", "\u0000")).as((o, tail) -> utf8(o + tail))),
                Tuple.of(1, Combinators.combine(JsonArbitraries.fieldNames(), JsonArbitraries.fieldNames())
                        .as((a, b) -> utf8("{\"" + a + "\":1,\"x\":{\"" + b + "\":2,\"" + b + "\":3}}"))));
    }

    /** Plain Java values as databind read them: maps, lists, strings, numbers of each type, booleans, null. */
    @Provide
    Arbitrary<Object> values() {
        return JsonArbitraries.values().map(node -> DATABIND.convertValue(node, Object.class));
    }

    /** Number texts, well formed or not: signs, leading zeros, fractions, exponents, up to 70 digits. */
    private static Arbitrary<String> numberTexts() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(70);
        return Combinators.combine(Arbitraries.of("", "-", "+"), digits,
                Arbitraries.of("", ".", ".0", ".5", ".25", "." + "3".repeat(40)),
                Arbitraries.of("", "e2", "E+2", "e-2", "e400", "e-400", "e"))
                .as((sign, integral, fraction, exponent) -> sign + integral + fraction + exponent);
    }

    /** The member the parser was reading when it failed, or null. */
    private static String memberAt(Throwable e) {
        Object source = ((JsonProcessingException) e).getProcessor();
        try {
            return source instanceof JsonParser ? ((JsonParser) source).currentName() : null;
        } catch (IOException | RuntimeException ignored) {
            return null;
        }
    }

    private static String printable(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
