package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonArbitraries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated problem documents (RFC 7807, RFC 8555 section 6.7) and error responses. The document
 * parser yields a {@link Problem} or an {@link AcmeProtocolException}; an error response of any
 * status, media type and body always yields a problem carrying the HTTP status, and the exception
 * it maps to; a document written from generated values parses back to them.
 *
 * <p>jqwik's own edge cases are off: the generators name the edge values (null, empty strings,
 * empty containers, huge numbers) themselves, and combining edge cases of nested JSON costs seconds.
 */
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class ProblemParsingPropertyTest {
    private static final URI URL = URI.create("https://ca.example/acme/new-order");
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<JsonNode> FIXTURES = Stream.of("problem-bad-nonce.json", "problem-malformed.json",
            "problem-rate-limited.json", "problem-subproblems.json", "problem-unauthorized.json",
            "problem-user-action-required.json").map(name -> JsonArbitraries.parse(Fixtures.text(name)))
            .collect(Collectors.toList());

    @Property(tries = 1000)
    void anyDocumentIsAProblemOrAProtocolError(@ForAll("documents") JsonNode document) {
        byte[] body = document.toString().getBytes(StandardCharsets.UTF_8);
        Problem problem;
        try {
            problem = Problems.parse(Json.parseObject(body, "problem document"));
        } catch (AcmeProtocolException refused) {
            assertThat(refused.getMessage()).startsWith("problem document");
            return;
        }

        assertThat(problem.type()).isNotNull();
        assertThat(problem.subproblems()).doesNotContainNull().hasSizeLessThanOrEqualTo(100)
                .allSatisfy(sub -> assertThat(sub.subproblems()).isEmpty());
        problem.identifier().ifPresent(id -> assertThat(id.value()).isNotEmpty());
        assertThat(problem.toString()).isNotNull();
        assertThat(problem).isEqualTo(problem).hasSameHashCodeAs(problem);
    }

    @Property(tries = 1000)
    void anyErrorResponseIsAProblemWithItsStatusAndATypedException(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("mediaTypes") Optional<String> mediaType,
            @ForAll("bodies") byte[] body, @ForAll("retryAfterValues") Optional<String> retryAfter) {
        HttpResponse response = response(status, mediaType, body, retryAfter);

        Problem problem = Problems.fromResponse(response);
        AcmeServerException exception = Problems.toException(problem, response, NOW);

        assertThat(problem.status()).isPresent();
        assertThat(exception.problem()).isSameAs(problem);
        assertThat(exception.getMessage()).isNotEmpty();
        if (status == 429 || problem.isAcmeError("rateLimited")) {
            assertThat(exception).isInstanceOf(AcmeRateLimitedException.class);
        }
        exception.retryAfter().ifPresent(at -> assertThat(at).isBeforeOrEqualTo(NOW.plusSeconds(86400)));
    }

    /**
     * When the body is no problem document, the problem is written by the client: it names the
     * status, and quotes the body on one line of printable text, whatever bytes the server sent.
     * Exception messages end up in logs and in the one-line error of the CLI.
     */
    @Property(tries = 1000)
    void aProblemWrittenForABodyThatIsNoDocumentIsOneLineNamingTheStatus(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("foreignMediaTypes") Optional<String> mediaType,
            @ForAll("bodies") byte[] body) {
        Problem problem = Problems.fromResponse(response(status, mediaType, body, Optional.empty()));

        String detail = problem.detail().orElseThrow();
        assertThat(detail).startsWith("HTTP " + status);
        assertThat(detail.codePoints().filter(ProblemParsingPropertyTest::breaksTheLine).mapToObj(Integer::toHexString)
                .collect(Collectors.toList())).as("line-breaking or control characters in %s", detail).isEmpty();
    }

    @Property(tries = 500)
    void aDocumentWrittenFromGeneratedValuesParsesBackToThem(@ForAll("problems") Problem expected) {
        Problem parsed = Problems.parse(Json.parseObject(write(expected, true).toString()
                .getBytes(StandardCharsets.UTF_8), "problem document"));

        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.title()).isEqualTo(expected.title());
        assertThat(parsed.instance()).isEqualTo(expected.instance());
    }

    // ---- generators

    @Provide
    Arbitrary<JsonNode> documents() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(FIXTURES).flatMap(JsonArbitraries::mutationsOf)),
                Tuple.of(3, JsonArbitraries.objects().map(o -> (JsonNode) o)),
                Tuple.of(1, Arbitraries.integers().between(0, 300).map(ProblemParsingPropertyTest::manySubproblems)));
    }

    @Provide
    Arbitrary<Optional<String>> mediaTypes() {
        return Arbitraries.oneOf(Arbitraries.of("application/problem+json", "application/json",
                "application/problem+json; charset=utf-8", "APPLICATION/JSON"),
                foreignMediaTypes().map(m -> m.orElse("")))
                .optional();
    }

    @Provide
    Arbitrary<Optional<String>> foreignMediaTypes() {
        return Arbitraries.oneOf(Arbitraries.of("text/html", "text/plain; charset=iso-8859-1",
                "application/octet-stream", "application/problem+xml", ";", "text/html;;;"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20)
                        .filter(m -> !m.toLowerCase(Locale.ROOT).startsWith("application/json")
                                && !m.toLowerCase(Locale.ROOT).startsWith("application/problem+json")))
                .optional();
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, documents().map(d -> d.toString().getBytes(StandardCharsets.UTF_8))),
                Tuple.of(2, JsonArbitraries.rawBodies()),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.of("<html><head><title>502 Bad Gateway</title></head>\r\n<body>\n"
                        + "<center><h1>502 Bad Gateway</h1></center>\n</body></html>", "")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8))));
    }

    @Provide
    Arbitrary<Optional<String>> retryAfterValues() {
        return Arbitraries.oneOf(Arbitraries.of("0", "60", "86401", "99999999999999", "Wed, 21 Oct 2015 07:28:00 GMT",
                "Fri, 31 Dec 9999 23:59:59 GMT", "later"), Arbitraries.strings().ofMaxLength(20)).optional();
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Problem> subproblems = problem(Arbitraries.just(List.of()));
        return problem(subproblems.list().ofMaxSize(4));
    }

    private static Arbitrary<Problem> problem(Arbitrary<List<Problem>> subproblems) {
        Arbitrary<URI> types = Arbitraries.oneOf(
                Arbitraries.of("badNonce", "rateLimited", "malformed", "caa", "rejectedIdentifier", "x-custom")
                        .map(name -> URI.create(Problem.ACME_ERROR_PREFIX + name)),
                Arbitraries.of(URI.create("about:blank"), URI.create("https://ca.example/problems/quota")));
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("\u00e9\u65e5\n\t")
                .ofMaxLength(40);
        Arbitrary<Identifier> identifiers = Combinators.combine(Arbitraries.of("dns", "ip", "email"),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20)).as(Identifier::of);
        return Combinators.combine(types, text.optional(), text.optional(),
                Arbitraries.integers().between(100, 599).optional(),
                Arbitraries.of(URI.create("https://ca.example/errors/1"), URI.create("urn:uuid:1")).optional(),
                identifiers.optional(), subproblems)
                .as((type, title, detail, status, instance, identifier, subs) -> new Problem(type, title.orElse(null),
                        detail.orElse(null), status.orElse(null), instance.orElse(null), identifier.orElse(null),
                        subs));
    }

    // ---- helpers

    private static ObjectNode write(Problem problem, boolean withSubproblems) {
        ObjectNode json = JSON.objectNode().put("type", problem.type().toString());
        problem.title().ifPresent(t -> json.put("title", t));
        problem.detail().ifPresent(d -> json.put("detail", d));
        problem.status().ifPresent(s -> json.put("status", s));
        problem.instance().ifPresent(i -> json.put("instance", i.toString()));
        problem.identifier().ifPresent(id -> json.putObject("identifier").put("type", id.type())
                .put("value", id.value()));
        if (withSubproblems && !problem.subproblems().isEmpty()) {
            problem.subproblems().forEach(sub -> json.withArray("subproblems").add(write(sub, false)));
        }
        return json;
    }

    private static JsonNode manySubproblems(int count) {
        ObjectNode json = JSON.objectNode().put("type", Problem.ACME_ERROR_PREFIX + "malformed");
        List<JsonNode> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subs.add(JSON.objectNode().put("type", Problem.ACME_ERROR_PREFIX + "rejectedIdentifier")
                    .set("identifier", JSON.objectNode().put("type", "dns").put("value", "n" + i + ".example")));
        }
        json.putArray("subproblems").addAll(subs);
        return json;
    }

    private static HttpResponse response(int status, Optional<String> mediaType, byte[] body,
                                         Optional<String> retryAfter) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        mediaType.ifPresent(m -> headers.put("content-type", List.of(m)));
        retryAfter.ifPresent(r -> headers.put("retry-after", List.of(r)));
        headers.put("link", List.of("<https://ca.example/terms>;rel=\"terms-of-service\""));
        return new HttpResponse(URL, status, headers, body);
    }

    private static boolean breaksTheLine(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
    }
}
