package dev.keyward.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What README.md and the Javadoc promise about retries of rate limits (RFC 8555 section 6.6), the
 * certificate URL (section 7.4.2) and which objects are snapshots agrees with what the code does.
 * The behaviour itself is specified by {@link RateLimitRetryTest} and {@link ContainmentRunTest};
 * here the texts are held to it, so that they cannot drift apart again unnoticed.
 */
class DocumentedContractsTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "keyward", "acme");

    @Test
    void readmeRowOfSection66SaysRateLimitsAreRetriedWithinMaxRetryAfter() throws IOException {
        String row = readmeLines().stream().filter(l -> l.startsWith("| 6.6 ")).collect(Collectors.joining());

        assertThat(row).contains("AcmeRateLimitedException.retryAfter()", "not retried by default",
                "RetryPolicy.maxRetryAfter", "RetryPolicy.maxRetries").doesNotContain("never");
    }

    @Test
    void readmeFaultsSectionSaysRateLimitsAreRetriedWithinMaxRetryAfter() throws IOException {
        String faults = readmeSection("## Faults");

        assertThat(faults).contains("`rateLimited` (429) and 503 with `Retry-After` are not\nretried by default",
                "maxRetryAfter(limit)", "`maxRetries` (default 3)", "AcmeClock").doesNotContain("never retried");
    }

    @Test
    void rateLimitedExceptionJavadocSaysWhenKeywardRetriesFirst() throws IOException {
        String javadoc = javadocBefore("AcmeRateLimitedException.java", "public class AcmeRateLimitedException");

        assertThat(javadoc).contains("{@link RetryPolicy#maxRetryAfter()} zero) never",
                "{@link RetryPolicy.Builder#maxRetryAfter maxRetryAfter} above zero",
                "{@link RetryPolicy#maxRetries()}").doesNotContain("never retries");
        assertThat(RetryPolicy.defaults().maxRetryAfter()).isZero();
        assertThat(RetryPolicy.defaults().maxRetries()).isEqualTo(3);
    }

    /**
     * The exception's Javadoc: thrown "when the server sends no {@code Retry-After}", even when
     * the policy would wait. {@link RateLimitRetryTest} covers the other cases it lists.
     */
    @Test
    void aRateLimitWithoutRetryAfterIsThrownAtOnceEvenWhenThePolicyWaits() throws Exception {
        acme.stubBasics();
        acme.wireMock().stubFor(post(urlEqualTo("/order-plz")).willReturn(FakeAcmeServer.problem(429,
                Fixtures.text("problem-rate-limited.json"))));
        FakeClock clock = new FakeClock();
        AcmeClient client = acme.clientBuilder(clock)
                .retryPolicy(RetryPolicy.builder().maxRetryAfter(Duration.ofHours(1)).build()).build();
        Account account = acme.account(client, TestKeys.EC_P256.signer());

        AcmeRateLimitedException e = catchThrowableOfType(AcmeRateLimitedException.class,
                () -> account.newOrder().domains("www.example.org").create());

        assertThat(e.retryAfter()).isEmpty();
        acme.wireMock().verify(1, postRequestedFor(urlEqualTo("/order-plz")));
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void certificateChainUrlIsDocumentedAsTheDownloadUrlAndNothingMore() throws IOException {
        String javadoc = javadocBefore("CertificateChain.java", "public URI url()");

        assertThat(javadoc).contains("downloaded from", "section 7.4.2");
        assertThat(javadoc.toLowerCase()).doesNotContain("renewal").doesNotContain("used for revocation");
    }

    @Test
    void readmeCallsResourcesSnapshotsAndRequestsOneShotBuilders() throws IOException {
        String paragraph = readmeParagraphWith("immutable snapshots");

        assertThat(paragraph).contains("`Account`", "`Order`", "`Authorization`", "`Challenge`",
                "`CertificateChain`", "one-shot builders", "`AccountRequest`", "`OrderRequest`",
                "`Containment` is immutable").doesNotContain("Every object is an immutable snapshot");
        assertThat(javadocBefore("AccountRequest.java", "public final class AccountRequest"))
                .contains("A request builder, not a snapshot", "Not thread-safe; use\n * once");
        assertThat(javadocBefore("OrderRequest.java", "public final class OrderRequest"))
                .contains("A request builder, not a snapshot", "Not thread-safe; use\n * once");
    }

    @Test
    void acmeSignerJavadocSaysTheCallerClosesWhatIsBehindASigner() throws IOException {
        String javadoc = javadocBefore("AcmeSigner.java", "public interface AcmeSigner");

        assertThat(javadoc).contains("Keyward never closes a signer", "Pkcs11KeyStore", "KmsSigner",
                "KmsSigners.Builder.kmsClient");
    }

    private static List<String> readmeLines() throws IOException {
        return Files.readAllLines(README);
    }

    /** The text from the heading that starts with {@code heading} to the next {@code ## } heading. */
    private static String readmeSection(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading);
        assertThat(start).as("README section " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String readmeParagraphWith(String text) throws IOException {
        List<String> paragraphs = Arrays.asList(Files.readString(README).split("\n\n"));
        return paragraphs.stream().filter(p -> p.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no README paragraph contains " + text));
    }

    /** The Javadoc comment right before {@code declaration} in a source file of this package. */
    private static String javadocBefore(String file, String declaration) throws IOException {
        String source = Files.readString(SOURCES.resolve(file));
        int at = source.indexOf(declaration);
        assertThat(at).as(declaration + " in " + file).isPositive();
        int start = source.lastIndexOf("/**", at);
        int end = source.lastIndexOf("*/", at);
        assertThat(start).as("a Javadoc comment before " + declaration).isNotNegative().isLessThan(end);
        return source.substring(start, end);
    }
}
