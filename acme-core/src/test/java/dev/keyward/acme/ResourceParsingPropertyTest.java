package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonArbitraries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * Generated server answers for every JSON resource parser (RFC 8555 section 7.1): the directory,
 * accounts, orders, authorizations and challenges, from the raw body on. Whatever the body, parsing
 * either yields a resource that keeps the invariants the API promises, or raises an
 * {@link AcmeProtocolException} with a message; nothing else escapes. Documents written from
 * generated values parse back to those values.
 *
 * <p>jqwik's own edge cases are off: the generators name the edge values (null, empty strings,
 * empty containers, huge numbers) themselves, and combining edge cases of nested JSON costs seconds.
 */
@PropertyDefaults(edgeCases = EdgeCasesMode.NONE)
class ResourceParsingPropertyTest {
    private static final URI DIRECTORY = URI.create("https://ca.example/acme/directory");
    private static final URI ACCOUNT = URI.create("https://ca.example/acme/acct/1");
    private static final URI ORDER = URI.create("https://ca.example/acme/order/1");
    private static final URI AUTHZ = URI.create("https://ca.example/acme/authz/1");
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Parsing needs no session or signer: the login only carries the account URL along. */
    private static final Login LOGIN = new Login(null, null, ACCOUNT);

    @Property(tries = 1000)
    void anyBodyIsADirectoryOrAProtocolError(@ForAll("directoryBodies") byte[] body) {
        Directory directory = parsedOrRefused(() -> Directory.parse(DIRECTORY,
                Json.parseObject(body, "directory " + DIRECTORY)));

        if (directory != null) {
            assertThat(List.of(directory.newNonce(), directory.newAccount(), directory.newOrder()))
                    .allSatisfy(ResourceParsingPropertyTest::assertHttpUrl);
            assertThat(directory.resources().values()).allSatisfy(ResourceParsingPropertyTest::assertHttpUrl);
            assertThat(directory.meta().fields()).isNotNull();
            assertThat(directory.toString()).isNotEmpty();
        }
    }

    @Property(tries = 1000)
    void anyBodyIsAnAccountOrAProtocolError(@ForAll("accountBodies") byte[] body) {
        Account account = parsedOrRefused(() -> Account.of(LOGIN, Json.parseObject(body, "account " + ACCOUNT)));

        if (account != null) {
            assertThat(account.status()).isEqualTo(Status.parse(account.rawStatus()));
            assertThat(account.contacts()).doesNotContainNull();
            account.ordersUrl().ifPresent(ResourceParsingPropertyTest::assertHttpUrl);
            assertThat(account.toString()).contains(ACCOUNT.toString());
        }
    }

    @Property(tries = 1000)
    void anyBodyIsAnOrderOrAProtocolError(@ForAll("orderBodies") byte[] body,
                                          @ForAll("retryAfterValues") Optional<String> retryAfter) {
        Order order = parsedOrRefused(() -> Order.of(LOGIN, ORDER, fetched(body, retryAfter, "order " + ORDER), null));

        if (order != null) {
            assertThat(order.status()).isEqualTo(Status.parse(order.rawStatus()));
            assertThat(order.identifiers()).isNotEmpty()
                    .allSatisfy(id -> assertThat(id.type()).isNotEmpty())
                    .allSatisfy(id -> assertThat(id.value()).isNotEmpty());
            assertThat(order.authorizationUrls()).allSatisfy(ResourceParsingPropertyTest::assertHttpUrl);
            assertHttpUrl(order.finalizeUrl());
            order.certificateUrl().ifPresent(ResourceParsingPropertyTest::assertHttpUrl);
            order.error().ifPresent(error -> assertThat(error.toString()).isNotNull());
            order.retryAfter().ifPresent(at -> assertThat(at).isBeforeOrEqualTo(NOW.plus(1, ChronoUnit.DAYS)));
            assertThat(order.toString()).contains(ORDER.toString());
        }
    }

    @Property(tries = 1000)
    void anyBodyIsAnAuthorizationOrAProtocolError(@ForAll("authorizationBodies") byte[] body) {
        Authorization authorization = parsedOrRefused(() -> Authorization.of(LOGIN, AUTHZ,
                fetched(body, Optional.empty(), "authorization " + AUTHZ)));

        if (authorization != null) {
            assertThat(authorization.status()).isEqualTo(Status.parse(authorization.rawStatus()));
            assertThat(authorization.identifier().type()).isNotEmpty();
            assertThat(authorization.identifier().value()).isNotEmpty();
            assertThat(authorization.challenges()).allSatisfy(ResourceParsingPropertyTest::assertChallenge);
            assertThat(authorization.toString()).contains(AUTHZ.toString());
        }
    }

    @Property(tries = 1000)
    void anyBodyIsAChallengeOrAProtocolError(@ForAll("challengeBodies") byte[] body) {
        Challenge challenge = parsedOrRefused(() -> Challenge.of(LOGIN, Identifier.dns("www.example.org"),
                Json.parseObject(body, "challenge")));

        if (challenge != null) {
            assertChallenge(challenge);
        }
    }

    @Property(tries = 500)
    void anOrderWrittenFromGeneratedValuesParsesBackToThem(@ForAll("orderSpecs") OrderSpec spec) {
        Order order = Order.of(LOGIN, ORDER, fetched(spec.json().toString().getBytes(StandardCharsets.UTF_8),
                Optional.empty(), "order " + ORDER), null);

        assertThat(order.rawStatus()).isEqualTo(spec.status);
        assertThat(order.status()).isEqualTo(Status.parse(spec.status));
        assertThat(order.identifiers()).containsExactlyElementsOf(spec.identifiers);
        assertThat(order.authorizationUrls()).containsExactlyElementsOf(spec.authorizations);
        assertThat(order.finalizeUrl()).isEqualTo(spec.finalizeUrl);
        assertThat(order.certificateUrl()).isEqualTo(spec.certificate);
        assertThat(order.expires()).isEqualTo(spec.expires.map(OffsetInstant::instant));
        assertThat(order.notBefore()).isEqualTo(spec.notBefore.map(OffsetInstant::instant));
        assertThat(order.notAfter()).isEqualTo(spec.notAfter.map(OffsetInstant::instant));
    }

    @Property(tries = 500)
    void aDirectoryWrittenFromGeneratedUrlsParsesBackToThem(@ForAll("directoryResources") Map<String, URI> resources,
                                                           @ForAll("metaFields") Map<String, String> extraMeta) {
        ObjectNode json = JSON.objectNode();
        resources.forEach((name, url) -> json.put(name, url.toString()));
        ObjectNode meta = json.putObject("meta");
        extraMeta.forEach(meta::put);

        Directory directory = Directory.parse(DIRECTORY,
                Json.parseObject(json.toString().getBytes(StandardCharsets.UTF_8), "directory " + DIRECTORY));

        assertThat(directory.resources()).containsExactlyEntriesOf(resources);
        assertThat(directory.newOrder()).isEqualTo(resources.get("newOrder"));
        assertThat(directory.meta().fields()).containsExactlyEntriesOf(extraMeta);
    }

    @Property(tries = 500)
    void anAccountWrittenFromGeneratedValuesParsesBackToThem(@ForAll("statuses") String status,
            @ForAll("contacts") List<String> contacts, @ForAll Optional<Boolean> agreed,
            @ForAll("optionalUrls") Optional<URI> orders) {
        ObjectNode json = JSON.objectNode().put("status", status);
        contacts.forEach(json.putArray("contact")::add);
        agreed.ifPresent(a -> json.put("termsOfServiceAgreed", a));
        orders.ifPresent(url -> json.put("orders", url.toString()));

        Account account = Account.of(LOGIN,
                Json.parseObject(json.toString().getBytes(StandardCharsets.UTF_8), "account"));

        assertThat(account.rawStatus()).isEqualTo(status);
        assertThat(account.contacts()).containsExactlyElementsOf(contacts);
        assertThat(account.termsOfServiceAgreed()).isEqualTo(agreed);
        assertThat(account.ordersUrl()).isEqualTo(orders);
    }

    // ---- generators

    @Provide
    Arbitrary<byte[]> directoryBodies() {
        return bodiesLike("directory.json", "directory-pebble.json", "directory-without-meta.json",
                "directory-without-newNonce.json");
    }

    @Provide
    Arbitrary<byte[]> accountBodies() {
        return bodiesLike("account.json", "account-deactivated.json");
    }

    @Provide
    Arbitrary<byte[]> orderBodies() {
        return bodiesLike("order-pending.json", "order-ready.json", "order-processing.json", "order-valid.json",
                "order-invalid.json", "order-deactivated.json", "order-unknown-status.json");
    }

    @Provide
    Arbitrary<byte[]> authorizationBodies() {
        return bodiesLike("authz-pending.json", "authz-valid.json", "authz-invalid.json", "authz-wildcard.json",
                "authz-example-org-pending.json");
    }

    @Provide
    Arbitrary<byte[]> challengeBodies() {
        List<JsonNode> challenges = Arrays.stream(new String[] {"authz-pending.json", "authz-invalid.json",
                "authz-valid.json"}).flatMap(name -> {
                    JsonNode authz = JsonArbitraries.parse(Fixtures.text(name));
                    return StreamSupport.stream(authz.get("challenges").spliterator(), false);
                }).collect(Collectors.toList());
        challenges.add(JsonArbitraries.parse(Fixtures.text("challenge-http-01-processing.json")));
        return bodiesLike(challenges);
    }

    @Provide
    Arbitrary<Optional<String>> retryAfterValues() {
        return Arbitraries.oneOf(Arbitraries.of("0", "120", "99999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon",
                "", "-1"), Arbitraries.strings().ofMaxLength(30)).optional();
    }

    @Provide
    Arbitrary<String> statuses() {
        return Arbitraries.oneOf(Arbitraries.of(Status.values()).map(Status::value),
                printableText().ofMinLength(1).ofMaxLength(12), Arbitraries.of("Valid", "PENDING", "deactivated"));
    }

    @Provide
    Arbitrary<List<String>> contacts() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .map(local -> "mailto:" + local + "@example.org").list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Optional<URI>> optionalUrls() {
        return httpUrls().optional();
    }

    @Provide
    Arbitrary<Map<String, URI>> directoryResources() {
        Arbitrary<Map<String, URI>> extra = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1)
                .ofMaxLength(12).filter(name -> !name.equals("meta")), httpUrls()).ofMaxSize(5);
        return Combinators.combine(httpUrls(), httpUrls(), httpUrls(), extra, Arbitraries.integers().between(0, 3))
                .as((nonce, account, order, more, at) -> {
                    List<Map.Entry<String, URI>> entries = new ArrayList<>(more.entrySet());
                    entries.removeIf(e -> List.of("newNonce", "newAccount", "newOrder").contains(e.getKey()));
                    entries.add(Math.min(at, entries.size()), Map.entry("newNonce", nonce));
                    entries.add(Math.min(at, entries.size()), Map.entry("newAccount", account));
                    entries.add(Math.min(at, entries.size()), Map.entry("newOrder", order));
                    Map<String, URI> ordered = new LinkedHashMap<>();
                    entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
                    return ordered;
                });
    }

    @Provide
    Arbitrary<Map<String, String>> metaFields() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                .filter(name -> !List.of("termsOfService", "website", "caaIdentities", "externalAccountRequired")
                        .contains(name)), text().ofMaxLength(20)).ofMaxSize(4);
    }

    @Provide
    Arbitrary<OrderSpec> orderSpecs() {
        Arbitrary<Identifier> identifiers = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                        .map(label -> Identifier.dns(label + ".example")),
                Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        printableText().ofMinLength(1).ofMaxLength(20)).as(Identifier::of));
        Arbitrary<Optional<OffsetInstant>> times = Combinators.combine(
                Arbitraries.longs().between(0, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999),
                Arbitraries.integers().between(-18 * 60, 18 * 60))
                .as((seconds, nanos, offsetMinutes) -> new OffsetInstant(Instant.ofEpochSecond(seconds, nanos),
                        ZoneOffset.ofTotalSeconds(offsetMinutes * 60)))
                .optional();
        return Combinators.combine(statuses(), identifiers.list().ofMinSize(1).ofMaxSize(4),
                httpUrls().list().uniqueElements().ofMaxSize(4), httpUrls(), httpUrls().optional(), times, times, times)
                .as(OrderSpec::new);
    }

    /** Text a CA may send as a status or an identifier: {@link #text()} without its line separator. */
    private static StringArbitrary printableText() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("\u00e9\u00fc\u65e5\u672c\u00a0");
    }

    /** Text that UTF-8 can carry: printable ASCII and a few letters and spaces beyond it. */
    private static StringArbitrary text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("\u00e9\u00fc\u65e5\u672c\u00a0\u2028");
    }

    private static Arbitrary<URI> httpUrls() {
        return Combinators.combine(Arbitraries.of("https", "http", "HTTPS"),
                Arbitraries.of("ca.example", "127.0.0.1", "[::1]", "acme-v02.api.letsencrypt.org", "localhost"),
                Arbitraries.integers().between(1, 65535).optional(),
                Arbitraries.strings().withChars("abcXYZ019-._~/").ofMaxLength(20))
                .as((scheme, host, port, path) -> URI.create(scheme + "://" + host + port.map(p -> ":" + p).orElse("")
                        + "/" + path));
    }

    /** Fixtures mutated, arbitrary objects in the same vocabulary, damaged bytes, raw garbage. */
    private static Arbitrary<byte[]> bodiesLike(String... fixtures) {
        return bodiesLike(Arrays.stream(fixtures).map(name -> JsonArbitraries.parse(Fixtures.text(name)))
                .collect(Collectors.toList()));
    }

    private static Arbitrary<byte[]> bodiesLike(List<JsonNode> documents) {
        Arbitrary<JsonNode> originals = Arbitraries.of(documents);
        Arbitrary<JsonNode> mutated = originals.flatMap(JsonArbitraries::mutationsOf);
        return Arbitraries.frequencyOf(
                Tuple.of(6, mutated.map(ResourceParsingPropertyTest::utf8)),
                Tuple.of(2, JsonArbitraries.objects().map(ResourceParsingPropertyTest::utf8)),
                Tuple.of(1, JsonArbitraries.damagedBytesOf(originals)),
                Tuple.of(1, JsonArbitraries.rawBodies()));
    }

    // ---- helpers

    private static byte[] utf8(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Login.Fetched fetched(byte[] body, Optional<String> retryAfter, String what) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        retryAfter.ifPresent(value -> headers.put("retry-after", List.of(value)));
        return Login.Fetched.of(new HttpResponse(ORDER, 200, headers, body), what, NOW);
    }

    /** The parsed value, or {@code null} when the parser refused with an {@link AcmeProtocolException}. */
    private static <T> T parsedOrRefused(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (AcmeProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }

    private static void assertChallenge(Challenge challenge) {
        assertHttpUrl(challenge.url());
        assertThat(challenge.type()).isNotNull();
        assertThat(challenge.status()).isEqualTo(Status.parse(challenge.rawStatus()));
        if (challenge instanceof Http01Challenge || challenge instanceof Dns01Challenge) {
            assertThat(challenge.token()).isPresent();
        }
        assertThat(challenge.fields()).containsKey("type");
        assertThat(challenge.toString()).contains(challenge.type());
    }

    private static void assertHttpUrl(URI url) {
        assertThat(url.isAbsolute()).isTrue();
        assertThat(url.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
        assertThat(url.getHost()).isNotNull();
    }

    /** An instant as a server may write it: RFC 3339 with some UTC offset. */
    static final class OffsetInstant {
        final Instant instant;
        final ZoneOffset offset;

        OffsetInstant(Instant instant, ZoneOffset offset) {
            this.instant = instant;
            this.offset = offset;
        }

        Instant instant() {
            return instant;
        }

        String rfc3339() {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(offset));
        }

        @Override
        public String toString() {
            return rfc3339();
        }
    }

    /** The values an order document is written from. */
    static final class OrderSpec {
        final String status;
        final List<Identifier> identifiers;
        final List<URI> authorizations;
        final URI finalizeUrl;
        final Optional<URI> certificate;
        final Optional<OffsetInstant> expires;
        final Optional<OffsetInstant> notBefore;
        final Optional<OffsetInstant> notAfter;

        OrderSpec(String status, List<Identifier> identifiers, List<URI> authorizations, URI finalizeUrl,
                  Optional<URI> certificate, Optional<OffsetInstant> expires, Optional<OffsetInstant> notBefore,
                  Optional<OffsetInstant> notAfter) {
            this.status = status;
            this.identifiers = identifiers;
            this.authorizations = authorizations;
            this.finalizeUrl = finalizeUrl;
            this.certificate = certificate;
            this.expires = expires;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
        }

        ObjectNode json() {
            ObjectNode json = JSON.objectNode().put("status", status);
            expires.ifPresent(t -> json.put("expires", t.rfc3339()));
            identifiers.forEach(id -> json.withArray("identifiers").addObject().put("type", id.type())
                    .put("value", id.value()));
            notBefore.ifPresent(t -> json.put("notBefore", t.rfc3339()));
            notAfter.ifPresent(t -> json.put("notAfter", t.rfc3339()));
            ArrayNode authorizationArray = json.putArray("authorizations");
            authorizations.forEach(url -> authorizationArray.add(url.toString()));
            json.put("finalize", finalizeUrl.toString());
            certificate.ifPresent(url -> json.put("certificate", url.toString()));
            return json;
        }

        @Override
        public String toString() {
            return json().toString();
        }
    }
}
