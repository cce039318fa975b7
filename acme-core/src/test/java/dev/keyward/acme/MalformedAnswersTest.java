package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a CA gets wrong in an answer, the caller sees it in this library's words: a table of
 * malformed bodies for every kind of answer (directory, account, order, authorization, challenge,
 * renewalInfo, problem document), each of which must end in an {@link AcmeProtocolException} (or,
 * for a refusal whose problem document is itself malformed, the {@link AcmeServerException} of the
 * refusal) whose message names what the CA did wrong, stays short (at most 500 characters, even
 * when the CA sent a megabyte), holds no control character and no Java class name. No
 * {@code IllegalStateException}, {@code IllegalArgumentException}, {@code NullPointerException} or
 * {@code ClassCastException} escapes.
 */
class MalformedAnswersTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";
    private static final String AUTHZ = "/authZ/PAniVnsZcis";
    private static final String MEGABYTE = "x".repeat(1_000_000);
    private static final String TERMINAL_TRICK = "\u001b]0;pwned\u0007\u0000\r\ncertificate issued";

    private Account account;
    private AcmeClient client;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        client = acme.client(new FakeClock());
        account = acme.account(client, TestKeys.EC_P256.signer());
    }

    /** One kind of answer: where it is served and the call that reads it. */
    enum Kind {
        DIRECTORY, ACCOUNT, ORDER, AUTHORIZATION, RENEWAL_INFO, PROBLEM
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                // the directory (RFC 8555 section 7.1.1)
                answer(Kind.DIRECTORY, "a member named twice", "directory.json",
                        text -> text.replaceFirst("\"newOrder\"", "\"newOrder\": \"https://elsewhere.example/o\", \"newOrder\""),
                        "'newOrder' twice"),
                answer(Kind.DIRECTORY, "a megabyte URL", "directory.json",
                        json(o -> o.put("newOrder", "https://ca.example/" + MEGABYTE)), "'newOrder'"),
                answer(Kind.DIRECTORY, "a URL with terminal controls", "directory.json",
                        json(o -> o.put("newOrder", "https://ca.example/" + TERMINAL_TRICK)), "'newOrder'"),
                answer(Kind.DIRECTORY, "a number for a URL", "directory.json", json(o -> o.put("newNonce", 7)),
                        "'newNonce'"),
                answer(Kind.DIRECTORY, "a megabyte of garbage", "directory.json", text -> MEGABYTE, "not valid JSON"),
                answer(Kind.DIRECTORY, "a string longer than a MiB", "directory.json",
                        json(o -> o.put("newOrder", "https://ca.example/" + "x".repeat(1 << 20))), "limits"),
                answer(Kind.DIRECTORY, "JSON nested a thousand deep", "directory.json",
                        text -> "{\"a\":".repeat(1000) + "1" + "}".repeat(1000), "limits"),
                // accounts (section 7.1.2)
                answer(Kind.ACCOUNT, "a member named twice", "account.json",
                        text -> text.replaceFirst("\"status\": \"valid\"", "\"status\": \"valid\", \"status\": \"deactivated\""),
                        "'status' twice"),
                answer(Kind.ACCOUNT, "a megabyte status", "account.json", json(o -> o.put("status", MEGABYTE)),
                        "'status'"),
                answer(Kind.ACCOUNT, "a status with terminal controls", "account.json",
                        json(o -> o.put("status", TERMINAL_TRICK)), "'status'"),
                answer(Kind.ACCOUNT, "orders that is a megabyte URL", "account.json",
                        json(o -> o.put("orders", "https://ca.example/" + MEGABYTE)), "'orders'"),
                // orders (section 7.1.3)
                answer(Kind.ORDER, "a member named twice", "order-pending.json",
                        text -> text.replaceFirst("\"status\": \"pending\"", "\"status\": \"pending\", \"status\": \"valid\""),
                        "'status' twice"),
                answer(Kind.ORDER, "a member named twice in an identifier", "order-pending.json",
                        text -> text.replaceFirst("\"value\": \"example.org\"",
                                "\"value\": \"example.org\", \"value\": \"evil.example\""), "'value' twice"),
                answer(Kind.ORDER, "no authorizations", "order-pending.json", json(o -> o.remove("authorizations")),
                        "'authorizations'"),
                answer(Kind.ORDER, "an unknown status with terminal controls", "order-pending.json",
                        json(o -> o.put("status", TERMINAL_TRICK)), "'status'"),
                answer(Kind.ORDER, "a megabyte identifier", "order-pending.json",
                        json(o -> element(o, "identifiers", 0).put("value", MEGABYTE)), "'value'"),
                answer(Kind.ORDER, "an identifier with terminal controls", "order-pending.json",
                        json(o -> element(o, "identifiers", 0).put("value", TERMINAL_TRICK)), "'value'"),
                answer(Kind.ORDER, "a megabyte date", "order-pending.json", json(o -> o.put("expires", MEGABYTE)),
                        "'expires'"),
                answer(Kind.ORDER, "a finalize URL with a space", "order-pending.json",
                        json(o -> o.put("finalize", "https://ca.example/final ize")), "'finalize'"),
                answer(Kind.ORDER, "a megabyte authorization URL", "order-pending.json",
                        json(o -> ((ArrayNode) o.get("authorizations")).set(0, "https://ca.example/" + MEGABYTE)),
                        "'authorizations'"),
                answer(Kind.ORDER, "an error whose detail is a number", "order-invalid.json",
                        json(o -> ((ObjectNode) o.get("error")).put("detail", 5)), "'detail'"),
                // authorizations and their challenges (sections 7.1.4, 8)
                answer(Kind.AUTHORIZATION, "a member named twice", "authz-pending.json",
                        text -> text.replaceFirst("\"status\": \"pending\"", "\"status\": \"pending\", \"status\": \"valid\""),
                        "'status' twice"),
                answer(Kind.AUTHORIZATION, "a member named twice in a challenge", "authz-pending.json",
                        text -> text.replaceFirst("\"token\": \"DGyRejmCefe7v4NfDGDKfA\"",
                                "\"token\": \"DGyRejmCefe7v4NfDGDKfA\", \"token\": \"other\""), "'token' twice"),
                answer(Kind.AUTHORIZATION, "an identifier that is a megabyte", "authz-pending.json",
                        json(o -> ((ObjectNode) o.get("identifier")).put("value", MEGABYTE)), "'value'"),
                answer(Kind.AUTHORIZATION, "a token that is a path", "authz-pending.json",
                        json(o -> element(o, "challenges", 0).put("token", "../../../etc/passwd")), "'token'"),
                answer(Kind.AUTHORIZATION, "a token with terminal controls", "authz-pending.json",
                        json(o -> element(o, "challenges", 2).put("token", TERMINAL_TRICK)), "'token'"),
                answer(Kind.AUTHORIZATION, "a megabyte token", "authz-pending.json",
                        json(o -> element(o, "challenges", 1).put("token", MEGABYTE)), "'token'"),
                answer(Kind.AUTHORIZATION, "a tls-alpn-01 challenge without a token", "authz-pending.json",
                        json(o -> element(o, "challenges", 2).remove("token")), "'token'"),
                answer(Kind.AUTHORIZATION, "a challenge status with terminal controls", "authz-pending.json",
                        json(o -> element(o, "challenges", 0).put("status", TERMINAL_TRICK)), "'status'"),
                answer(Kind.AUTHORIZATION, "a challenge URL that is not http", "authz-pending.json",
                        json(o -> element(o, "challenges", 0).put("url", "file:///etc/passwd")), "'url'"),
                answer(Kind.AUTHORIZATION, "a validated date that is a megabyte", "authz-pending.json",
                        json(o -> element(o, "challenges", 0).put("validated", MEGABYTE)), "'validated'"),
                // renewalInfo (RFC 9773 section 4.2)
                answer(Kind.RENEWAL_INFO, "a member named twice", null,
                        text -> "{\"suggestedWindow\":{\"start\":\"2025-03-10T00:00:00Z\",\"start\":\"2025-03-01T00:00:00Z\","
                                + "\"end\":\"2025-03-12T00:00:00Z\"}}", "'start' twice"),
                answer(Kind.RENEWAL_INFO, "a megabyte date", null,
                        text -> "{\"suggestedWindow\":{\"start\":\"" + MEGABYTE + "\",\"end\":\"2025-03-12T00:00:00Z\"}}",
                        "'start'"),
                answer(Kind.RENEWAL_INFO, "no window", null, text -> "{\"explanationURL\":\"https://ca.example/\"}",
                        "'suggestedWindow'"),
                // problem documents (RFC 7807) of a refusal: the refusal stands, its text is tamed
                answer(Kind.PROBLEM, "a member named twice", null,
                        text -> "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"type\":\"about:blank\"}",
                        "'type' twice"),
                answer(Kind.PROBLEM, "a megabyte detail", null,
                        text -> "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\"" + MEGABYTE + "\"}",
                        "malformed"),
                answer(Kind.PROBLEM, "a detail with terminal controls", null,
                        text -> "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\""
                                + TERMINAL_TRICK.replace("\u001b", "\\u001b").replace("\u0007", "\\u0007")
                                        .replace("\u0000", "\\u0000").replace("\r", "\\r").replace("\n", "\\n") + "\"}",
                        "certificate issued"),
                answer(Kind.PROBLEM, "a megabyte type", null,
                        text -> "{\"type\":\"urn:" + MEGABYTE + "\",\"detail\":\"no\"}", "no"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedAnswers")
    void aMalformedAnswerIsReportedInTheLibrarysWordsNamingTheCasMistakeBriefly(Kind kind, String what,
                                                                              String fixture,
                                                                              UnaryOperator<String> breakIt,
                                                                              String named) throws Exception {
        String body = breakIt.apply(fixture == null ? "" : acme.fixture(fixture));

        Throwable thrown = catchThrowable(() -> read(kind, body));

        if (kind == Kind.PROBLEM) {
            assertThat(thrown).isInstanceOf(AcmeServerException.class);
        } else {
            assertThat(thrown).isExactlyInstanceOf(AcmeProtocolException.class);
        }
        assertThat(thrown.getMessage()).contains(named)
                .hasSizeLessThanOrEqualTo(500)
                .doesNotContainPattern("\\p{Cc}")
                .doesNotContainPattern("\\b(java|javax|com|org|okhttp3|kotlin)\\.[a-z]+\\.")
                .doesNotContain("Exception");
    }

    private void read(Kind kind, String body) throws Exception {
        switch (kind) {
            case DIRECTORY:
                acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(FakeAcmeServer.json(200, body)));
                acme.client(new FakeClock()).fetchDirectory();
                return;
            case ACCOUNT:
                acme.wireMock().stubFor(post(urlEqualTo(FakeAcmeServer.ACCOUNT)).willReturn(FakeAcmeServer.json(200, body)));
                client.fetchAccount(acme.url(FakeAcmeServer.ACCOUNT), TestKeys.EC_P256.signer());
                return;
            case ORDER:
                acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.json(200, body)));
                account.fetchOrder(acme.url(ORDER));
                return;
            case AUTHORIZATION:
                acme.wireMock().stubFor(post(urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200, body)));
                account.fetchAuthorization(acme.url(AUTHZ));
                return;
            case RENEWAL_INFO:
                acme.wireMock().stubFor(get(urlEqualTo(RenewalInfoTest.RENEWAL_INFO))
                        .willReturn(FakeAcmeServer.json(200, body)));
                client.fetchRenewalInfo(RenewalInfoTest.certificate(RenewalInfoTest.RFC_KEY_ID, RenewalInfoTest.RFC_SERIAL));
                return;
            case PROBLEM:
                acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(FakeAcmeServer.problem(400, body)));
                account.fetchOrder(acme.url(ORDER));
                return;
            default:
                throw new AssertionError(kind);
        }
    }

    private static Arguments answer(Kind kind, String what, String fixture, UnaryOperator<String> breakIt,
                                    String named) {
        return Arguments.of(kind, what, fixture, breakIt, named);
    }

    private static UnaryOperator<String> json(java.util.function.Consumer<ObjectNode> edit) {
        return text -> {
            try {
                ObjectNode node = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
                edit.accept(node);
                return node.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private static ObjectNode element(ObjectNode json, String array, int index) {
        return (ObjectNode) json.get(array).get(index);
    }
}
