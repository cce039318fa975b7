package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.acme.AcmeProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The JSON layer under every resource parser: {@link Json#parseObject(byte[], String)} turns any
 * bytes into an object or an {@link AcmeProtocolException}, and every typed accessor of
 * {@link JsonObject} on any field of any object returns a value or raises an
 * {@link AcmeProtocolException} naming the field and the resource, never a Jackson or JDK
 * exception.
 *
 * <p>jqwik's own edge cases are off: the generators name the edge values (null, empty strings,
 * empty containers, huge numbers) themselves, and combining edge cases of nested JSON costs seconds.
 */
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class JsonPropertyTest {
    private static final String WHAT = "order https://ca.example/acme/order/1";

    /** Every typed accessor, by name. */
    private static final List<Tuple.Tuple2<String, Function<JsonObjectField, Object>>> ACCESSORS = List.of(
            Tuple.of("string", f -> f.object.string(f.name)),
            Tuple.of("optString", f -> f.object.optString(f.name)),
            Tuple.of("optInt", f -> f.object.optInt(f.name)),
            Tuple.of("optBoolean", f -> f.object.optBoolean(f.name)),
            Tuple.of("uri", f -> f.object.uri(f.name)),
            Tuple.of("optUri", f -> f.object.optUri(f.name)),
            Tuple.of("optAnyUri", f -> f.object.optAnyUri(f.name)),
            Tuple.of("optInstant", f -> f.object.optInstant(f.name)),
            Tuple.of("optObject", f -> f.object.optObject(f.name)),
            Tuple.of("objects", f -> f.object.objects(f.name)),
            Tuple.of("strings", f -> f.object.strings(f.name)),
            Tuple.of("uris", f -> f.object.uris(f.name)),
            Tuple.of("value", f -> f.object.value(f.name)),
            Tuple.of("has", f -> f.object.has(f.name)));

    @Property(tries = 1000)
    void anyBytesAreAnObjectOrAProtocolErrorNamingWhatTheyAre(@ForAll("bodies") byte[] body) {
        JsonObject object;
        try {
            object = Json.parseObject(body, WHAT);
        } catch (AcmeProtocolException refused) {
            assertThat(refused.getMessage()).startsWith(WHAT);
            return;
        }
        assertThat(object.what()).isEqualTo(WHAT);
        assertThat(object.toMap().keySet()).containsExactlyElementsOf(object.fieldNames());
    }

    @Property(tries = 1000)
    void everyAccessorOnEveryFieldReturnsOrRaisesAProtocolErrorNamingTheField(
            @ForAll("objects") ObjectNode json, @ForAll("absentNames") String absent) {
        JsonObject object = Json.parseObject(json.toString().getBytes(StandardCharsets.UTF_8), WHAT);
        List<String> names = new ArrayList<>(object.fieldNames());
        names.add(absent);

        for (String name : names) {
            for (Tuple.Tuple2<String, Function<JsonObjectField, Object>> accessor : ACCESSORS) {
                try {
                    accessor.get2().apply(new JsonObjectField(object, name));
                } catch (AcmeProtocolException refused) {
                    assertThat(refused.getMessage()).as(accessor.get1() + "(" + name + ")")
                            .startsWith(WHAT).contains("'" + name);
                }
            }
        }
    }

    @Property(tries = 1000)
    void anObjectWrittenAsJsonReadsBackTheSame(@ForAll("objects") ObjectNode json) {
        JsonObject object = Json.parseObject(json.toString().getBytes(StandardCharsets.UTF_8), WHAT);

        JsonObject again = Json.parseObject(object.toJson().getBytes(StandardCharsets.UTF_8), WHAT);

        assertThat(again.toMap()).isEqualTo(object.toMap());
        assertThat(again.toJson()).isEqualTo(object.toJson());
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, JsonArbitraries.rawBodies()),
                Tuple.of(2, JsonArbitraries.damagedBytesOf(JsonArbitraries.objects())),
                Tuple.of(2, JsonArbitraries.values().map(v -> v.toString().getBytes(StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<ObjectNode> objects() {
        return JsonArbitraries.objects();
    }

    @Provide
    Arbitrary<String> absentNames() {
        return Arbitraries.strings().ofMaxLength(8).map(s -> "absent-" + s);
    }

    /** One field name of one object: what an accessor is applied to. */
    private static final class JsonObjectField {
        final JsonObject object;
        final String name;

        JsonObjectField(JsonObject object, String name) {
            this.object = object;
            this.name = name;
        }
    }
}
