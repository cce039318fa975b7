package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The one place of retry decisions ({@link Retries}): what a single request repeats (RFC 8555
 * sections 6.3, 6.6) and what a step of the issuance flow, which resumes from the server's state,
 * runs again.
 */
class RetriesTest {
    private final FakeClock clock = new FakeClock();
    private final Retries defaults = new Retries(RetryPolicy.defaults(), clock);
    private final Retries patient = new Retries(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(2)).build(), clock);

    @Test
    void aSafeRequestIsRepeatedAfterANetworkFailureWithDoublingBackoffUpToTheLimit() {
        AcmeNetworkException reset = new AcmeNetworkException("reset", null, true);

        assertThat(defaults.request(reset, true, 1)).contains(Duration.ofMillis(250));
        assertThat(defaults.request(reset, true, 2)).contains(Duration.ofMillis(500));
        assertThat(defaults.request(reset, true, 3)).contains(Duration.ofMillis(1000));
        assertThat(defaults.request(reset, true, 4)).isEmpty();
    }

    @Test
    void aChangeIsRepeatedOnlyWhenItSurelyNeverReachedTheServer() {
        assertThat(defaults.request(new AcmeNetworkException("cut", null, true), false, 1)).isEmpty();
        assertThat(defaults.request(new AcmeNetworkException("refused", null, false), false, 1)).isPresent();
    }

    @Test
    void anUntrustedCertificateIsNeverRepeated() {
        AcmeTlsException untrusted = new AcmeTlsException("untrusted", null);

        assertThat(defaults.request(untrusted, true, 1)).isEmpty();
        assertThat(defaults.step(untrusted, 1)).isEmpty();
    }

    @Test
    void aTransientServerErrorRepeatsASafeRequestButNotAChange() {
        AcmeServerException badGateway = refused(502, null, "about:blank");

        assertThat(defaults.request(badGateway, 502, true, 1)).isPresent();
        assertThat(defaults.request(badGateway, 502, false, 1)).isEmpty();
    }

    @Test
    void rateLimitedIsWaitedForOnlyWhenThePolicyAllowsThatLongAWait() {
        AcmeServerException limited = new AcmeRateLimitedException(problem(429, "urn:ietf:params:acme:error:rateLimited"),
                clock.now().plusSeconds(90));

        assertThat(defaults.request(limited, 429, false, 1)).as("default: never").isEmpty();
        assertThat(patient.request(limited, 429, false, 1)).contains(Duration.ofSeconds(90));
        assertThat(new Retries(RetryPolicy.builder().maxRetryAfter(Duration.ofMinutes(1)).build(), clock)
                .request(limited, 429, false, 1)).as("too far away").isEmpty();
    }

    @Test
    void aStepResumesAfterAnyNetworkFailureOrTransientErrorButNotAfterTheCasDecision() {
        assertThat(defaults.step(new AcmeNetworkException("cut", null, true), 1)).isPresent();
        assertThat(defaults.step(refused(503, null, "about:blank"), 1)).isPresent();
        assertThat(defaults.step(refused(403, null, "urn:ietf:params:acme:error:unauthorized"), 1)).isEmpty();
        assertThat(defaults.step(refused(400, null, "urn:ietf:params:acme:error:malformed"), 1)).isEmpty();
        assertThat(defaults.step(new AcmeTimeoutException("slow", Status.PENDING), 1)).isEmpty();
    }

    @Test
    void aStepIsRunAgainABoundedNumberOfTimesWithCappedBackoff() {
        AcmeNetworkException cut = new AcmeNetworkException("cut", null, true);

        assertThat(defaults.step(cut, Retries.MAX_STEP_RETRIES)).contains(Duration.ofSeconds(4));
        assertThat(defaults.step(cut, Retries.MAX_STEP_RETRIES + 1)).isEmpty();
    }

    private static AcmeServerException refused(int status, Instant retryAfter, String type) {
        return new AcmeServerException(problem(status, type), retryAfter);
    }

    private static Problem problem(int status, String type) {
        return Problem.of(URI.create(type), "status " + status, status);
    }

    @Test
    void aRefusedOrUnresolvedAddressIsUnreachableWhateverWrapsItAndATimeoutIsNot() {
        AcmeNetworkException refused = new AcmeNetworkException("GET https://ca.test/dir failed",
                new java.io.IOException("wrapped", new java.net.ConnectException("Connection refused")), false);
        AcmeNetworkException unknownHost = new AcmeNetworkException("GET https://ca.test/dir failed",
                new java.net.UnknownHostException("ca.test"), false);
        AcmeNetworkException timeout = new AcmeNetworkException("GET https://ca.test/dir timed out",
                new java.net.SocketTimeoutException("read timed out"), false);

        assertThat(refused.isUnreachable()).isTrue();
        assertThat(unknownHost.isUnreachable()).isTrue();
        assertThat(timeout.isUnreachable()).isFalse();
    }
}
