package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.pebble.PebbleFlow;
import dev.keyward.acme.pebble.TestKeys;
import dev.keyward.acme.reliability.TrafficRecorder.Exchange;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 8555 section 6.5: a {@code badNonce} is retried transparently with a fresh nonce. Against a
 * Pebble that rejects half of all good nonces ({@code PEBBLE_WFE_NONCEREJECT=50}), twenty issuances
 * in a row, each with a new account and one name, run once for the class; the tests examine them.
 */
class NonceRejectionAgainstPebbleTest {
    private static final int ISSUANCES = 20;

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().nonceRejectPercent(50)).build();

    private static final TrafficRecorder traffic = new TrafficRecorder();
    private static final List<String> issuedNames = new ArrayList<>();
    private static final List<Throwable> failures = new ArrayList<>();

    @BeforeAll
    static void issueTwentyCertificatesInARow() {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        OkHttpClient http = PebbleHttpClients.trusting(pebble.server(), traffic);
        try (AcmeClient client = PebbleHttpClients.acmeClient(pebble.server(), http)) {
            for (int i = 0; i < ISSUANCES; i++) {
                String name = PebbleFlow.uniqueName("nonce-" + i);
                try {
                    Account account = flow.register(client, TestKeys.ecP256());
                    AcmeSigner certificateKey = TestKeys.ecP256();
                    CertificateChain chain = flow.issue(account, List.of(name), PebbleFlow.Method.HTTP01, certificateKey);
                    if (chain.leaf().getPublicKey().equals(certificateKey.publicKey())) {
                        issuedNames.add(name);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        } finally {
            PebbleHttpClients.release(http);
        }
        List<Exchange> posts = traffic.posts();
        long badNonces = posts.stream().filter(Exchange::isBadNonce).count();
        System.out.printf("badNonce: %d retries over %d issuances; %d/%d issuances succeeded; %d signed POSTs,"
                        + " %.0f%% answered badNonce; longest run of badNonce on one request: %d%n",
                badNonces, ISSUANCES, issuedNames.size(), ISSUANCES, posts.size(),
                100.0 * badNonces / Math.max(1, posts.size()), longestBadNonceRun(posts));
    }

    @Test
    void everyOneOfTwentyIssuancesInARowSucceeds() {
        assertThat(failures).as("issuances that failed").isEmpty();
        assertThat(issuedNames).hasSize(ISSUANCES);
    }

    @Test
    void pebbleReallyRejectedNoncesDuringTheRun() {
        assertThat(traffic.posts()).filteredOn(Exchange::isBadNonce).isNotEmpty();
    }

    @Test
    void everyRejectedRequestIsSentAgainToTheSameUrlWithTheSamePayloadAndAFreshNonce() {
        List<Exchange> posts = traffic.posts();
        for (int i = 0; i < posts.size(); i++) {
            Exchange rejected = posts.get(i);
            if (!rejected.isBadNonce()) {
                continue;
            }
            assertThat(i + 1).as("a POST follows the badNonce on %s", rejected.url()).isLessThan(posts.size());
            Exchange retry = posts.get(i + 1);
            assertThat(retry.url()).isEqualTo(rejected.url());
            assertThat(retry.payload()).isEqualTo(rejected.payload());
            assertThat(retry.nonce()).isPresent().isNotEqualTo(rejected.nonce());
        }
    }

    @Test
    void noNonceIsSentTwice() {
        List<String> nonces = traffic.posts().stream().map(Exchange::nonce).flatMap(Optional::stream)
                .collect(Collectors.toList());

        assertThat(nonces).hasSize(traffic.posts().size()).doesNotHaveDuplicates();
    }

    /** The longest run of consecutive {@code badNonce} answers to one URL: the retries one request needed. */
    private static int longestBadNonceRun(List<Exchange> posts) {
        int longest = 0;
        int run = 0;
        String url = null;
        for (Exchange post : posts) {
            if (post.isBadNonce()) {
                run = post.url().equals(url) ? run + 1 : 1;
                url = post.url();
                longest = Math.max(longest, run);
            } else {
                run = 0;
                url = null;
            }
        }
        return longest;
    }
}
