package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Pebble 2.10 features the kit configures: profiles, Retry-After and ARI's renewalInfo. */
class PebbleProfilesRetryAfterAndRenewalInfoTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().build();

    @Test
    void byDefaultTheDirectoryOffersAriAndOneProfileThatEveryOrderGetsWithPebblesNinetyDays(PebbleServer server)
            throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);

        assertThat(client.directory()).contains("\"renewalInfo\": \"" + server.directoryUri().resolve("/"));
        assertThat(profilesOf(client.directory())).isEqualTo("\"default\": \"The test kit's only profile\"");
        TestAcmeClient.Order order = client.newOrder("plain.example.test");
        assertThat(TestAcmeClient.string(order.body(), "profile")).isEqualTo("default");
        X509Certificate leaf = client.issueOverHttp01(server, "ninety.example.test", null).get(0);
        assertThat(lifetime(leaf)).isBetween(Duration.ofDays(90).minus(ONE_SECOND), Duration.ofDays(90));
    }

    @Test
    void certificateValiditySetsTheLifetimeOfTheDefaultProfile() throws Exception {
        try (PebbleServer server = PebbleServer.builder().certificateValidity(Duration.ofDays(1)).build().start()) {
            TestAcmeClient client = TestAcmeClient.register(server);

            X509Certificate leaf = client.issueOverHttp01(server, "one-day.example.test", null).get(0);

            assertThat(lifetime(leaf)).isBetween(Duration.ofDays(1).minus(ONE_SECOND), Duration.ofDays(1));
        }
    }

    @Test
    void namedProfilesAreListedInTheDirectoryAndAnOrderGetsTheLifetimeOfTheProfileItNames() throws Exception {
        PebbleServer.Builder builder = PebbleServer.builder().profiles(Map.of(
                "shortlived", new PebbleProfile("Six days", Duration.ofDays(6)),
                "classic", new PebbleProfile("Ninety days", Duration.ofDays(90))));
        try (PebbleServer server = builder.build().start()) {
            TestAcmeClient client = TestAcmeClient.register(server);

            assertThat(profilesOf(client.directory()))
                    .contains("\"shortlived\": \"Six days\"", "\"classic\": \"Ninety days\"")
                    .doesNotContain("\"default\"");
            X509Certificate shortLived = client.issueOverHttp01(server, "short.example.test", "shortlived").get(0);
            assertThat(lifetime(shortLived)).isBetween(Duration.ofDays(6).minus(ONE_SECOND), Duration.ofDays(6));
            assertThatThrownBy(() -> client.newOrder("nope.example.test", "no-such-profile"))
                    .hasMessageContaining("urn:ietf:params:acme:error:invalidProfile");
        }
    }

    @Test
    void retryAfterIsSentOnAnAuthorizationUnderValidationAndOnTheProcessingAnswerToFinalize() throws Exception {
        PebbleServer.Builder builder = PebbleServer.builder().retryAfter(Duration.ofSeconds(3), Duration.ofSeconds(7));
        try (PebbleServer server = builder.build().start()) {
            TestAcmeClient client = TestAcmeClient.register(server);
            TestAcmeClient.Order order = client.newOrder("slow.example.test");
            TestAcmeClient.Challenge challenge = client.challenge(order, "http-01");
            String authorization = TestAcmeClient.strings(order.body(), "authorizations").get(0);

            try (ServerSocket stalledResponder = new ServerSocket()) {
                stalledResponder.bind(new InetSocketAddress(LoopbackPorts.LOOPBACK, server.http01Port()));
                stalledResponder.setSoTimeout(20_000);
                client.respond(challenge);
                try (Socket validator = stalledResponder.accept()) {
                    HttpResponse<String> underValidation = client.fetch(authorization);

                    assertThat(TestAcmeClient.string(underValidation.body(), "status")).isEqualTo("pending");
                    assertThat(retryAfter(underValidation)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
                }
            }

            TestAcmeClient.Order other = client.newOrder("fast.example.test");
            TestAcmeClient.Challenge fast = client.challenge(other, "http-01");
            server.http01Responder().serve(fast.token(), client.keyAuthorization(fast.token()));
            client.respond(fast);
            TestAcmeClient.Order ready = client.awaitOrder(other, Set.of("ready", "invalid"));
            HttpResponse<String> finalized = client.finalizeOrder(ready, "fast.example.test");
            assertThat(TestAcmeClient.string(finalized.body(), "status")).isEqualTo("processing");
            assertThat(retryAfter(finalized)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(8));
        }
    }

    @Test
    void withoutRetryAfterPebbleSendsNoneOnFinalize(PebbleServer server) throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);
        TestAcmeClient.Order order = client.newOrder("no-retry.example.test");
        TestAcmeClient.Challenge challenge = client.challenge(order, "http-01");
        server.http01Responder().serve(challenge.token(), client.keyAuthorization(challenge.token()));
        client.respond(challenge);
        TestAcmeClient.Order ready = client.awaitOrder(order, Set.of("ready", "invalid"));

        HttpResponse<String> finalized = client.finalizeOrder(ready, "no-retry.example.test");

        assertThat(finalized.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void renewalInfoSuggestsTheLastThirdOfTheLifetimeGiveOrTakeADayUntilSetRenewalInfoReplacesIt(PebbleServer server)
            throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);
        X509Certificate leaf = client.issueOverHttp01(server, "ari.example.test", null).get(0);

        HttpResponse<String> computed = client.renewalInfo(leaf);
        assertThat(computed.statusCode()).isEqualTo(200);
        assertThat(computed.headers().firstValue("Retry-After")).contains("21600");
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant middle = notAfter.minus(lifetime(leaf).dividedBy(3));
        assertThat(windowStart(computed.body())).isCloseTo(middle.minus(Duration.ofDays(1)), within(2));
        assertThat(windowEnd(computed.body())).isCloseTo(middle.plus(Duration.ofDays(1)), within(2));

        String past = "{\"suggestedWindow\": {\"start\": \"2020-01-01T00:00:00Z\", \"end\": \"2020-01-02T00:00:00Z\"},"
                + " \"explanationURL\": \"https://ca.example.test/incident\"}";
        server.setRenewalInfo(leaf, past);
        assertThat(client.renewalInfo(leaf).body()).isEqualTo(past);

        String future = "{\"suggestedWindow\": {\"start\": \"2099-01-01T00:00:00Z\", \"end\": \"2099-01-02T00:00:00Z\"}}";
        server.setRenewalInfo(leaf, future);
        assertThat(client.renewalInfo(leaf).body()).isEqualTo(future);

        String broken = "{\"suggestedWindow\": {\"start\": ";
        server.setRenewalInfo(leaf, broken);
        HttpResponse<String> brokenAnswer = client.renewalInfo(leaf);
        assertThat(brokenAnswer.statusCode()).isEqualTo(200);
        assertThat(brokenAnswer.body()).isEqualTo(broken);
    }

    @Test
    void aRevokedCertificatesRenewalInfoSuggestsAWindowThatHasPassed(PebbleServer server) throws Exception {
        TestAcmeClient client = TestAcmeClient.register(server);
        X509Certificate leaf = client.issueOverHttp01(server, "revoked-ari.example.test", null).get(0);
        assertThat(client.revoke(leaf, 1).statusCode()).isEqualTo(200);
        Instant afterRevocation = Instant.now();

        HttpResponse<String> answer = client.renewalInfo(leaf);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(windowEnd(answer.body())).isBefore(afterRevocation);
    }

    @Test
    void setRenewalInfoForACertificateOfAnotherCaIsRefused(PebbleServer server) {
        X509Certificate foreign = server.trustAnchors().get(0);

        assertThatThrownBy(() -> server.setRenewalInfo(foreign, "{}"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("set-renewal-info");
    }

    /**
     * The delay of a {@code Retry-After} header in either of its forms (RFC 9110 section 10.2.3):
     * Pebble 2.10 sends delta-seconds or, at random, the HTTP-date that many seconds after its
     * {@code Date}, rounded to whole seconds (hence the ranges above).
     */
    private static Duration retryAfter(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After")
                .orElseThrow(() -> new AssertionError("no Retry-After in " + response.headers().map()));
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Instant date = httpDate(response.headers().firstValue("Date").orElseThrow());
        return Duration.between(date, httpDate(value));
    }

    private static Instant httpDate(String value) {
        return java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    private static String profilesOf(String directory) {
        java.util.regex.Matcher profiles = java.util.regex.Pattern.compile("\"profiles\"\\s*:\\s*\\{([^}]*)}")
                .matcher(directory);
        assertThat(profiles.find()).as("meta.profiles in %s", directory).isTrue();
        return profiles.group(1).strip();
    }

    private static Duration lifetime(X509Certificate certificate) {
        return Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    private static Instant windowStart(String renewalInfo) {
        return Instant.parse(TestAcmeClient.string(renewalInfo, "start"));
    }

    private static Instant windowEnd(String renewalInfo) {
        return Instant.parse(TestAcmeClient.string(renewalInfo, "end"));
    }

    private static org.assertj.core.data.TemporalUnitOffset within(long seconds) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(seconds, ChronoUnit.SECONDS);
    }
}
