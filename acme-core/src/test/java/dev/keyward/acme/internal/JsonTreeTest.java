package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeProtocolException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyward's own JSON tree on jackson-core's streaming parser ({@link Json}, {@link JsonTree}): the
 * document order of members, numbers typed as {@link JsonObject} needs them, the limits on nesting,
 * strings and numbers, duplicate members, content after the object, and compact output.
 */
class JsonTreeTest {
    private static final String WHAT = "order https://ca.example/acme/order/1";

    private static JsonObject parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8), WHAT);
    }

    @Test
    void membersKeepTheirDocumentOrderAtEveryLevel() {
        JsonObject object = parse("{\"z\":1,\"a\":{\"y\":true,\"b\":null,\"x\":[3,2,1]},\"m\":\"s\"}");

        assertThat(object.fieldNames()).containsExactly("z", "a", "m");
        assertThat(object.toMap().keySet()).containsExactly("z", "a", "m");
        assertThat(object.optObject("a").orElseThrow().fieldNames()).containsExactly("y", "b", "x");
        assertThat(object.toJson()).isEqualTo("{\"z\":1,\"a\":{\"y\":true,\"b\":null,\"x\":[3,2,1]},\"m\":\"s\"}");
    }

    @Test
    void integralNumbersAreIntegerLongOrBigIntegerAndOnlyAnIntIsAnInteger() {
        JsonObject object = parse("{\"int\":2147483647,\"negative\":-2147483648,\"zero\":-0,"
                + "\"long\":2147483648,\"big\":9223372036854775808}");

        assertThat(object.value("int")).contains(Integer.MAX_VALUE);
        assertThat(object.value("negative")).contains(Integer.MIN_VALUE);
        assertThat(object.value("zero")).contains(0);
        assertThat(object.value("long")).contains(2147483648L);
        assertThat(object.value("big")).contains(new BigInteger("9223372036854775808"));
        assertThat(object.optInt("int")).contains(Integer.MAX_VALUE);
        assertThatThrownBy(() -> object.optInt("long")).isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + ": field 'long' is not an integer");
        assertThatThrownBy(() -> object.optInt("big")).isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + ": field 'big' is not an integer");
    }

    @Test
    void numbersWithAFractionOrAnExponentAreDoublesAndNeverAnInteger() {
        JsonObject object = parse("{\"half\":1.5,\"hundred\":1E2,\"one\":1.0,\"tiny\":0.10000000000000000000001}");

        assertThat(object.value("half")).contains(1.5);
        assertThat(object.value("hundred")).contains(100.0);
        assertThat(object.value("one")).contains(1.0);
        assertThat(object.value("tiny")).contains(0.1);
        assertThatThrownBy(() -> object.optInt("one")).isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + ": field 'one' is not an integer");
        assertThat(object.toJson()).isEqualTo("{\"half\":1.5,\"hundred\":100.0,\"one\":1.0,\"tiny\":0.1}");
    }

    @Test
    void aNullMemberIsNamedButHasNoValue() {
        JsonObject object = parse("{\"gone\":null}");

        assertThat(object.fieldNames()).containsExactly("gone");
        assertThat(object.has("gone")).isFalse();
        assertThat(object.value("gone")).isEmpty();
        assertThat(object.optString("gone")).isEmpty();
        assertThat(object.strings("gone")).isEmpty();
        assertThat(object.toMap()).containsEntry("gone", null);
    }

    @Test
    void theTreeCannotBeChanged() {
        JsonObject object = parse("{\"list\":[1,{\"k\":\"v\"}],\"map\":{\"k\":\"v\"}}");
        Map<String, Object> map = object.toMap();
        List<?> list = (List<?>) map.get("list");

        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(list::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) list.get(1)).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) map.get("map")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nestingUpToSixtyFourLevelsIsReadAndDeeperIsALimit() {
        // jackson-core reports its limits without the parser, so the message names no member (as it never did)
        // the object itself is the first level
        String deepest = "{\"a\":".repeat(64) + "1" + "}".repeat(64);
        String tooDeep = "[".repeat(65) + "]".repeat(65);

        assertThat(parse(deepest).fieldNames()).containsExactly("a");
        assertThatThrownBy(() -> parse("{\"a\":" + tooDeep + "}")).isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + " is not valid JSON for this client: it passes the limits on nesting"
                        + " (64 levels), strings (1 MiB) or numbers (64 digits)");
    }

    @Test
    void stringsUpToOneMebibyteAreReadAndLongerIsALimit() {
        String longest = "x".repeat(1 << 20);

        assertThat(parse("{\"token\":\"" + longest + "\"}").string("token")).hasSize(1 << 20);
        assertThatThrownBy(() -> parse("{\"token\":\"" + longest + "x\"}")).isInstanceOf(AcmeProtocolException.class)
                .hasMessageStartingWith(WHAT + " is not valid JSON for this client");
    }

    @Test
    void numbersUpToSixtyFourDigitsAreReadAndLongerIsALimit() {
        String longest = "9".repeat(64);

        assertThat(parse("{\"n\":" + longest + "}").value("n")).contains(new BigInteger(longest));
        assertThatThrownBy(() -> parse("{\"n\":" + longest + "9}")).isInstanceOf(AcmeProtocolException.class)
                .hasMessageStartingWith(WHAT + " is not valid JSON for this client");
        assertThatThrownBy(() -> parse("{\"n\":0." + longest + "}")).isInstanceOf(AcmeProtocolException.class)
                .hasMessageStartingWith(WHAT + " is not valid JSON for this client");
    }

    @Test
    void aMemberNamedTwiceAtAnyLevelIsAProtocolErrorNamingIt() {
        assertThatThrownBy(() -> parse("{\"status\":\"valid\",\"status\":\"invalid\"}"))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + " names the member 'status' twice in one object: a CA must send each member once");
        assertThatThrownBy(() -> parse("{\"a\":[{\"value\":1,\"other\":2,\"value\":1}]}"))
                .isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + " names the member 'value' twice in one object: a CA must send each member once");
        assertThat(parse("{\"a\":{\"value\":1},\"b\":{\"value\":1}}").fieldNames()).containsExactly("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1} ]", "{\"a\":1} {", "{\"a\":1}\n\n"})
    void contentAfterTheObjectIsNotRead(String body) {
        // as Jackson's ObjectMapper.readTree did, which this client was specified with
        assertThat(parse(body).toMap()).isEqualTo(Map.of("a", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "null", "[]", "[{}]", "\"{}\"", "7", "true"})
    void nothingButAnObjectIsAnObject(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(AcmeProtocolException.class)
                .hasMessage(WHAT + " is not a JSON object");
    }

    @Test
    void invalidJsonIsAProtocolErrorQuotingTheParser() {
        assertThatThrownBy(() -> parse("{\"a\":1,}")).isInstanceOf(AcmeProtocolException.class)
                .hasMessageStartingWith(WHAT + " is not valid JSON: \"Unexpected character ('}' (code 125))");
        assertThatThrownBy(() -> parse("{\"a\":[1,2")).isInstanceOf(AcmeProtocolException.class)
                .hasMessageStartingWith(WHAT + " is not valid JSON: \"Unexpected end-of-input");
    }

    @Test
    void writingIsCompactInTheMapsOrderWithJsonsEscapes() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("url", "https://ca.example/acme/new-order");
        payload.put("quote\"back\\slash/", "tab\tnewline\ncontrol\u0001 é \u2028 \uD83D\uDD12");
        payload.put("identifiers", List.of(Map.of("type", "dns"), List.of()));
        payload.put("numbers", List.of(1, 2L, new BigInteger("18446744073709551616"), 1.5, 100.0, 0.5f,
                new BigDecimal("1.10"), (short) 3));
        payload.put("flags", new ArrayList<>(List.of(true, false)));
        payload.put("nothing", null);

        assertThat(Json.write(payload)).isEqualTo("{\"url\":\"https://ca.example/acme/new-order\","
                + "\"quote\\\"back\\\\slash/\":\"tab\\tnewline\\ncontrol\\u0001 é \u2028 \uD83D\uDD12\","
                + "\"identifiers\":[{\"type\":\"dns\"},[]],"
                + "\"numbers\":[1,2,18446744073709551616,1.5,100.0,0.5,1.10,3],"
                + "\"flags\":[true,false],\"nothing\":null}");
        assertThat(Json.write("a \"PEM\"\n")).isEqualTo("\"a \\\"PEM\\\"\\n\"");
        assertThat(Json.write(null)).isEqualTo("null");
    }

    @Test
    void writingAnythingButJsonValuesIsRefused() {
        assertThatThrownBy(() -> Json.write(Map.of("at", java.time.Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot serialize Instant");
        assertThatThrownBy(() -> Json.write(Map.of(1, "one"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot serialize a map key of type Integer");
    }
}
