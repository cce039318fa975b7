package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Problem documents (RFC 7807, RFC 8555 section 6.7) become typed exceptions carrying every field
 * of the document.
 */
class ProblemMappingTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String ORDER = "/my-order/TOlocE8rfgo";

    private final FakeClock clock = new FakeClock();
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        account = acme.account(acme.client(clock), TestKeys.EC_P256.signer());
    }

    @Test
    void rateLimitedWithRetryAfterSecondsIsARateLimitedExceptionWithTheInstant() {
        answer(FakeAcmeServer.problem(429, Fixtures.text("problem-rate-limited.json")).withHeader("Retry-After", "120"));

        AcmeRateLimitedException e = failure(AcmeRateLimitedException.class);

        assertThat(e.retryAfter()).contains(clock.now().plusSeconds(120));
        assertThat(e.problem().isAcmeError("rateLimited")).isTrue();
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d).startsWith("too many certificates (5)"));
        assertThat(e.problem().status()).hasValue(429);
    }

    @Test
    void rateLimitedWithAnHttpDateIsARateLimitedExceptionWithThatInstant() {
        Instant liftsAt = clock.now().plus(Duration.ofMinutes(2));
        answer(FakeAcmeServer.problem(429, Fixtures.text("problem-rate-limited.json"))
                .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(liftsAt.atOffset(ZoneOffset.UTC))));

        AcmeRateLimitedException e = failure(AcmeRateLimitedException.class);

        assertThat(e.retryAfter()).contains(liftsAt);
    }

    @Test
    void rateLimitedWithoutRetryAfterHasNoInstant() {
        answer(FakeAcmeServer.problem(429, Fixtures.text("problem-rate-limited.json")));

        assertThat(failure(AcmeRateLimitedException.class).retryAfter()).isEmpty();
    }

    @Test
    void anyHttp429IsARateLimitWhateverItsBody() {
        answer(aResponse().withStatus(429).withHeader("Content-Type", "text/plain").withBody("slow down"));

        AcmeRateLimitedException e = failure(AcmeRateLimitedException.class);

        assertThat(e.problem().status()).hasValue(429);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d).contains("slow down"));
    }

    @Test
    void unauthorizedIsAnUnauthorizedException() {
        answer(FakeAcmeServer.problem(403, Fixtures.text("problem-unauthorized.json")));

        AcmeUnauthorizedException e = failure(AcmeUnauthorizedException.class);

        assertThat(e.problem().type()).isEqualTo(URI.create("urn:ietf:params:acme:error:unauthorized"));
        assertThat(e.problem().detail()).contains("Account is not valid, has status \"deactivated\"");
        assertThat(e.problem().status()).hasValue(403);
        assertThat(e.getMessage()).contains("unauthorized").contains("deactivated");
    }

    @Test
    void userActionRequiredCarriesTheInstanceAndTheNewTermsOfService() {
        answer(FakeAcmeServer.problem(403, Fixtures.text("problem-user-action-required.json"))
                .withHeader("Link", "<https://example.com/acme/directory>;rel=\"index\"")
                .withHeader("Link", "<https://example.com/acme/terms/2017-6-02>;rel=\"terms-of-service\""));

        AcmeUserActionRequiredException e = failure(AcmeUserActionRequiredException.class);

        assertThat(e.instance()).contains(URI.create("https://example.com/acme/agreement/?token=W8Ih3PswD-8"));
        assertThat(e.termsOfService()).contains(URI.create("https://example.com/acme/terms/2017-6-02"));
        assertThat(e.problem().detail()).contains("Terms of service have changed");
        assertThat(e.problem().status()).hasValue(403);
    }

    @Test
    void userActionRequiredWithoutATermsLinkHasNoTermsOfService() {
        answer(FakeAcmeServer.problem(403, Fixtures.text("problem-user-action-required.json")));

        AcmeUserActionRequiredException e = failure(AcmeUserActionRequiredException.class);

        assertThat(e.termsOfService()).isEmpty();
        assertThat(e.instance()).isPresent();
    }

    @Test
    void anyOtherProblemIsAServerExceptionWithEveryFieldOfTheDocument() {
        answer(FakeAcmeServer.problem(400, acme.fixture("problem-malformed.json")).withHeader("Retry-After", "5"));

        AcmeServerException e = failure(AcmeServerException.class);

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        Problem problem = e.problem();
        assertThat(problem.type()).isEqualTo(URI.create("urn:ietf:params:acme:error:malformed"));
        assertThat(problem.title()).contains("Malformed request");
        assertThat(problem.detail()).contains("Request payload did not parse as JSON");
        assertThat(problem.status()).hasValue(400);
        assertThat(problem.instance()).contains(acme.url("/errors/5w3qo0A"));
        assertThat(problem.identifier()).isEmpty();
        assertThat(problem.subproblems()).isEmpty();
        assertThat(e.retryAfter()).contains(clock.now().plusSeconds(5));
    }

    @Test
    void subproblemsAreParsedWithTheirIdentifiers() {
        answer(FakeAcmeServer.problem(400, Fixtures.text("problem-subproblems.json")));

        Problem problem = failure(AcmeServerException.class).problem();

        assertThat(problem.isAcmeError("malformed")).isTrue();
        assertThat(problem.detail()).contains("Some of the identifiers requested were rejected");
        assertThat(problem.status()).as("taken from the HTTP status when the document has none").hasValue(400);
        assertThat(problem.subproblems()).hasSize(2);
        Problem underscore = problem.subproblems().get(0);
        assertThat(underscore.type()).isEqualTo(URI.create("urn:ietf:params:acme:error:malformed"));
        assertThat(underscore.detail()).contains("Invalid underscore in DNS name \"_example.org\"");
        assertThat(underscore.identifier()).contains(Identifier.of("dns", "_example.org"));
        Problem rejected = problem.subproblems().get(1);
        assertThat(rejected.isAcmeError("rejectedIdentifier")).isTrue();
        assertThat(rejected.detail()).contains("This CA will not issue for \"example.net\"");
        assertThat(rejected.identifier()).contains(Identifier.dns("example.net"));
        assertThat(problem.toString()).contains("rejectedIdentifier").contains("example.net");
    }

    @Test
    void aProblemAboutOneIdentifierNamesIt() {
        answer(FakeAcmeServer.problem(400, "{\"type\":\"urn:ietf:params:acme:error:caa\","
                + "\"detail\":\"CAA record for example.org prevents issuance\",\"status\":403,"
                + "\"identifier\":{\"type\":\"dns\",\"value\":\"example.org\"}}"));

        Problem problem = failure(AcmeServerException.class).problem();

        assertThat(problem.isAcmeError("caa")).isTrue();
        assertThat(problem.status()).as("the document's own status wins").hasValue(403);
        assertThat(problem.identifier()).contains(Identifier.dns("example.org"));
    }

    @Test
    void anHtmlErrorPageIsAServerExceptionNamingTheStatusAndMediaType() {
        answer(aResponse().withStatus(500).withHeader("Content-Type", "text/html")
                .withBody(Fixtures.text("error-500.html")));

        AcmeServerException e = failure(AcmeServerException.class);

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().type()).isEqualTo(URI.create("about:blank"));
        assertThat(e.problem().status()).hasValue(500);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 500").contains("text/html").contains("500 Internal Server Error"));
    }

    @Test
    void aProblemDocumentThatIsNotJsonIsStillAServerException() {
        answer(aResponse().withStatus(502).withHeader("Content-Type", "application/problem+json").withBody("{oops"));

        AcmeServerException e = failure(AcmeServerException.class);

        assertThat(e.problem().status()).hasValue(502);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d).contains("HTTP 502"));
    }

    @Test
    void aFailedDirectoryFetchIsAServerException() {
        acme.wireMock().stubFor(get(urlEqualTo("/dir")).willReturn(FakeAcmeServer.problem(503,
                "{\"type\":\"about:blank\",\"detail\":\"down for maintenance\",\"status\":503}")
                .withHeader("Retry-After", "60")));

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class,
                () -> acme.client(clock).fetchDirectory());

        assertThat(e.problem().detail()).contains("down for maintenance");
        assertThat(e.retryAfter()).contains(clock.now().plusSeconds(60));
    }

    private void answer(ResponseDefinitionBuilder response) {
        acme.wireMock().stubFor(post(urlEqualTo(ORDER)).willReturn(response));
    }

    private <T extends Throwable> T failure(Class<T> type) {
        T thrown = catchThrowableOfType(type, () -> account.fetchOrder(acme.url(ORDER)));
        assertThat(thrown).as("expected %s", type.getSimpleName()).isNotNull();
        return thrown;
    }
}
