package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A directory (RFC 8555 section 7.1.1) that breaks the protocol is refused with an
 * {@link AcmeProtocolException} naming what is wrong; a directory that merely says more than this
 * library knows is accepted. (A missing {@code newNonce} and a body that is not JSON are in
 * {@link DirectoryTest}.)
 */
class BadDirectoryTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"newAccount", "newOrder"})
    void aDirectoryWithoutARequiredResourceIsRefusedNamingIt(String resource) {
        serve(acme.fixture("directory.json", d -> d.remove(resource)));

        assertRefused().hasMessageContaining("'" + resource + "'").hasMessageContaining(acme.directoryUrl().toString());
    }

    @ParameterizedTest(name = "{0} is a number")
    @ValueSource(strings = {"newNonce", "newAccount", "newOrder"})
    void aRequiredResourceThatIsNotAStringIsRefusedNamingIt(String resource) {
        serve(acme.fixture("directory.json", d -> d.put(resource, 42)));

        assertRefused().hasMessageContaining("'" + resource + "'");
    }

    @ParameterizedTest(name = "{0} is relative")
    @ValueSource(strings = {"newNonce", "newAccount", "newOrder"})
    void aRequiredResourceThatIsNotAnAbsoluteUrlIsRefusedNamingIt(String resource) {
        serve(acme.fixture("directory.json", d -> d.put(resource, "/acme/" + resource)));

        assertRefused().hasMessageContaining("'" + resource + "'").hasMessageContaining("/acme/" + resource);
    }

    @Test
    void aDirectoryThatIsAJsonArrayIsRefused() {
        serve("[" + acme.fixture("directory.json") + "]");

        assertRefused().hasMessageContaining("directory " + acme.directoryUrl())
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void aDirectoryThatIsJsonNullIsRefused() {
        serve("null");

        assertRefused().hasMessageContaining("not a JSON object");
    }

    @Test
    void anEmptyDirectoryBodyIsRefused() {
        serve("");

        assertRefused().hasMessageContaining("directory " + acme.directoryUrl());
    }

    @Test
    void aMetaThatIsAStringIsRefusedNamingIt() {
        serve(acme.fixture("directory.json", d -> d.put("meta", "see https://example.com/acme/terms")));

        assertRefused().hasMessageContaining("'meta'").hasMessageContaining("not an object");
    }

    static Stream<Arguments> metaFieldsOfTheWrongType() {
        return Stream.of(
                Arguments.of("caaIdentities", (Consumer<ObjectNode>) m -> m.put("caaIdentities", "example.com")),
                Arguments.of("caaIdentities[1]", (Consumer<ObjectNode>) m -> m.putArray("caaIdentities")
                        .add("example.com").add(7)),
                Arguments.of("externalAccountRequired", (Consumer<ObjectNode>) m -> m.put("externalAccountRequired",
                        "false")),
                Arguments.of("termsOfService", (Consumer<ObjectNode>) m -> m.put("termsOfService", 2017)),
                Arguments.of("website", (Consumer<ObjectNode>) m -> m.put("website", "www.example.com/")));
    }

    @ParameterizedTest(name = "meta.{0}")
    @MethodSource("metaFieldsOfTheWrongType")
    void aMetaFieldOfTheWrongTypeIsRefusedNamingIt(String field, Consumer<ObjectNode> breakMeta) {
        serve(acme.fixture("directory.json", d -> breakMeta.accept((ObjectNode) d.get("meta"))));

        assertRefused().hasMessageContaining("'" + field + "'").hasMessageContaining("meta");
    }

    @Test
    void unknownFieldsOfEveryJsonTypeAreKeptInMetaAndDoNotSpoilTheDirectory() throws Exception {
        serve(acme.fixture("directory.json", d -> {
            d.put("x-count", 3);
            d.putNull("x-nothing");
            d.put("x-flag", true);
            d.putArray("x-list").add(1).add("two");
            d.putObject("x-object").put("nested", "value");
            ObjectNode meta = (ObjectNode) d.get("meta");
            meta.put("x-count", 3);
            meta.putNull("x-nothing");
            meta.putArray("x-list").add(1).add("two");
        }));

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.resources().keySet()).containsExactly("newNonce", "newAccount", "newOrder",
                "newAuthz", "revokeCert", "keyChange", "renewalInfo");
        assertThat(directory.newOrder()).isEqualTo(acme.url("/order-plz"));
        assertThat(directory.meta().fields()).containsEntry("x-count", 3).containsEntry("x-nothing", null)
                .containsEntry("x-list", List.of(1, "two"));
        assertThat(directory.meta().termsOfService()).isPresent();
    }

    /**
     * Only the resources the library uses must be URLs. A CA may add any other field (Let's
     * Encrypt has served a random key with a link to a forum post, to keep clients tolerant), and
     * a text that is no URL must not take the whole CA out of service.
     */
    @Test
    void anUnknownFieldWhoseTextIsNotAUrlDoesNotSpoilTheDirectory() throws Exception {
        serve(acme.fixture("directory.json", d -> d.put("x-comment", "served by Example CA, version 2")));

        Directory directory = acme.client().fetchDirectory();

        assertThat(directory.newOrder()).isEqualTo(acme.url("/order-plz"));
        assertThat(directory.url("x-comment")).isEmpty();
    }

    @Test
    void anUnknownResourceThatIsAUrlIsStillKept() throws Exception {
        serve(acme.fixture("directory.json", d -> d.put("x-renewals", acme.base() + "/renewals")));

        assertThat(acme.client().fetchDirectory().url("x-renewals")).contains(acme.url("/renewals"));
    }

    @Test
    void aDirectoryNestedDeeperThanSixtyFourLevelsIsRefused() {
        serve(acme.fixture("directory.json", d -> {
            ObjectNode inner = d.putObject("x-deep");
            for (int i = 0; i < 100; i++) {
                inner = inner.putObject("x");
            }
        }));

        assertRefused().hasMessageContaining("directory " + acme.directoryUrl())
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void aNumberOfAThousandDigitsIsRefused() {
        serve(acme.fixture("directory.json", d -> d.set("x-big", JSON.numberNode(new BigInteger("9".repeat(1000))))));

        assertRefused().hasMessageContaining("directory " + acme.directoryUrl())
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void aRedirectIsNotFollowedAndIsAServerErrorNamingTheStatus() {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(aResponse().withStatus(301)
                .withHeader("Location", acme.base() + "/elsewhere")));

        assertThatThrownBy(() -> acme.client().fetchDirectory())
                .isExactlyInstanceOf(AcmeServerException.class)
                .hasMessageContaining("HTTP 301");
        acme.wireMock().verify(0, getRequestedFor(urlEqualTo("/elsewhere")));
    }

    private static void serve(String body) {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(FakeAcmeServer.json(200, body)));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused() {
        return assertThatThrownBy(() -> acme.client().fetchDirectory())
                .isExactlyInstanceOf(AcmeProtocolException.class);
    }
}
