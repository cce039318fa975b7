package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Error answers that are no proper problem document (RFC 7807, RFC 8555 section 6.7): garbage
 * under {@code application/problem+json}, HTML error pages of a proxy, empty bodies. Each becomes
 * an {@link AcmeServerException} whose problem names the HTTP status and what the body was, never
 * a parsing exception. The request is {@code newOrder}, which is not repeated after an error, so
 * each case is exactly one request. (An HTML 500 and a garbled 502 on a POST-as-GET are in
 * {@link ProblemMappingTest}.)
 */
class BadProblemTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String NEW_ORDER = "/order-plz";

    private final FakeClock clock = new FakeClock();
    private AcmeClient client;
    private Account account;

    @BeforeEach
    void createAccount() throws Exception {
        acme.stubBasics();
        client = acme.client(clock);
        account = acme.account(client, TestKeys.EC_P256.signer());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502})
    void anHtmlErrorPageIsAServerErrorNamingTheStatusAndTheMediaType(int status) {
        answer(aResponse().withStatus(status).withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody(Fixtures.text("error-500.html")));

        AcmeServerException e = newOrderFailure();

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().type()).isEqualTo(URI.create("about:blank"));
        assertThat(e.problem().status()).hasValue(status);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP " + status).contains("text/html"));
        assertThat(e.getMessage()).contains("HTTP " + status);
        assertOneNewOrderRequest();
    }

    @Test
    void aProblemDocumentThatIsNotJsonNamesTheStatusAndTheBrokenDocument() {
        answer(FakeAcmeServer.problem(500, "<<this is not JSON>>"));

        AcmeServerException e = newOrderFailure();

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().status()).hasValue(500);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 500").contains("malformed problem document").contains("not valid JSON"));
        assertOneNewOrderRequest();
    }

    @Test
    void aProblemDocumentThatIsAJsonArrayNamesTheStatusAndTheBrokenDocument() {
        answer(FakeAcmeServer.problem(400, "[" + Fixtures.text("problem-malformed.json") + "]"));

        AcmeServerException e = newOrderFailure();

        assertThat(e.problem().status()).hasValue(400);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 400").contains("malformed problem document").contains("not a JSON object"));
    }

    @Test
    void aProblemDocumentWhoseTypeIsANumberNamesTheField() {
        answer(FakeAcmeServer.problem(400, "{\"type\": 400, \"detail\": \"bad\"}"));

        AcmeServerException e = newOrderFailure();

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 400").contains("'type'"));
    }

    @Test
    void aProblemDocumentWhoseStatusIsAStringNamesTheField() {
        answer(FakeAcmeServer.problem(403, "{\"type\": \"urn:ietf:params:acme:error:unauthorized\", "
                + "\"status\": \"403\"}"));

        AcmeServerException e = newOrderFailure();

        assertThat(e.problem().status()).hasValue(403);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 403").contains("'status'"));
    }

    @Test
    void subproblemsThatAreNotAnArrayNameTheField() {
        answer(FakeAcmeServer.problem(400, "{\"type\": \"urn:ietf:params:acme:error:malformed\", "
                + "\"subproblems\": {\"type\": \"urn:ietf:params:acme:error:caa\"}}"));

        assertThat(newOrderFailure().problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 400").contains("'subproblems'"));
    }

    @Test
    void aNullOrIncompleteIdentifierOfAProblemIsAbsentAndTheRestKept() {
        answer(FakeAcmeServer.problem(400, "{\"type\": \"urn:ietf:params:acme:error:malformed\", "
                + "\"detail\": \"some identifiers were rejected\", \"identifier\": null, \"subproblems\": ["
                + "{\"type\": \"urn:ietf:params:acme:error:caa\","
                + " \"identifier\": {\"type\": \"dns\", \"value\": \"\"}},"
                + "{\"type\": \"urn:ietf:params:acme:error:dns\", \"identifier\": {\"type\": \"dns\"}},"
                + "{\"type\": \"urn:ietf:params:acme:error:rejectedIdentifier\", \"identifier\": null}]}"));

        Problem problem = newOrderFailure().problem();

        assertThat(problem.isAcmeError("malformed")).isTrue();
        assertThat(problem.identifier()).isEmpty();
        assertThat(problem.subproblems()).hasSize(3).allSatisfy(sub -> assertThat(sub.identifier()).isEmpty());
        assertThat(problem.subproblems().get(1).isAcmeError("dns")).isTrue();
    }

    @Test
    void aTypeThatIsNoUriIsAboutBlankAndTheDetailIsKept() {
        answer(FakeAcmeServer.problem(400, "{\"type\": \"not a uri\", \"detail\": \"something failed\"}"));

        Problem problem = newOrderFailure().problem();

        assertThat(problem.type()).isEqualTo(URI.create("about:blank"));
        assertThat(problem.detail()).contains("something failed");
    }

    @Test
    void anEmptyErrorBodyWithoutContentTypeNamesTheStatus() {
        answer(aResponse().withStatus(500));

        AcmeServerException e = newOrderFailure();

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().status()).hasValue(500);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 500").contains("no content type"));
        assertOneNewOrderRequest();
    }

    @Test
    void anEmptyProblemDocumentNamesTheStatus() {
        answer(FakeAcmeServer.problem(500, ""));

        AcmeServerException e = newOrderFailure();

        assertThat(e.problem().status()).hasValue(500);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 500").contains("malformed problem document"));
    }

    @Test
    void binaryGarbageIsQuotedAsOneShortLineWithoutControlCharacters() {
        byte[] garbage = new byte[4000];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        answer(aResponse().withStatus(500).withHeader("Content-Type", "application/octet-stream").withBody(garbage));

        AcmeServerException e = newOrderFailure();

        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 500").contains("application/octet-stream")
                .doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000")
                .hasSizeLessThan(300));
    }

    @Test
    void aProblemDocumentServedAsPlainJsonIsStillRead() {
        answer(FakeAcmeServer.json(400, acme.fixture("problem-malformed.json")));

        Problem problem = newOrderFailure().problem();

        assertThat(problem.isAcmeError("malformed")).isTrue();
        assertThat(problem.detail()).contains("Request payload did not parse as JSON");
    }

    @Test
    void aProblemDocumentWithACharsetParameterIsStillRead() {
        answer(aResponse().withStatus(400).withHeader("Content-Type", "Application/Problem+JSON; charset=UTF-8")
                .withBody(acme.fixture("problem-malformed.json")));

        assertThat(newOrderFailure().problem().isAcmeError("malformed")).isTrue();
    }

    /**
     * A safe request is repeated after a 503 without {@code Retry-After} (per {@link RetryPolicy}),
     * so an HTML maintenance page on the directory costs four GETs and three waits on the clock,
     * then surfaces like the rest.
     */
    @Test
    void anHtmlMaintenancePageOnTheDirectoryIsAServerErrorAfterTheRetriesOfASafeRequest() {
        acme.wireMock().stubFor(get(urlEqualTo(FakeAcmeServer.DIRECTORY)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/html").withBody(Fixtures.text("error-500.html"))));
        FakeClock fresh = new FakeClock();
        int before = directoryRequests();

        AcmeServerException e = catchThrowableOfType(AcmeServerException.class,
                () -> acme.client(fresh).fetchDirectory());

        assertThat(e).isExactlyInstanceOf(AcmeServerException.class);
        assertThat(e.problem().detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("HTTP 503").contains("text/html"));
        assertThat(directoryRequests() - before).isEqualTo(4);
        assertThat(fresh.sleeps())
                .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    private void answer(ResponseDefinitionBuilder response) {
        acme.wireMock().stubFor(post(urlEqualTo(NEW_ORDER)).willReturn(response));
    }

    private AcmeServerException newOrderFailure() {
        AcmeServerException e = catchThrowableOfType(AcmeServerException.class,
                () -> account.newOrder().domains("www.example.org").create());
        assertThat(e).as("an AcmeServerException").isNotNull();
        return e;
    }

    private static int directoryRequests() {
        return acme.wireMock().countRequestsMatching(getRequestedFor(urlEqualTo(FakeAcmeServer.DIRECTORY)).build())
                .getCount();
    }

    private static void assertOneNewOrderRequest() {
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo(NEW_ORDER)));
    }
}
