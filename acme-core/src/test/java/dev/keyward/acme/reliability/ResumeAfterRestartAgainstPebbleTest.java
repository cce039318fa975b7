package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import dev.keyward.acme.pebble.PebbleFlow;
import dev.keyward.acme.pebble.TestKeys;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Orders and accounts survive a process restart (RFC 8555 sections 7.1.2, 7.1.3): a first client
 * is dropped part-way through an issuance, and a second one, built afresh with the same account key,
 * finishes it from the stored account and order URLs alone, carrying on from whatever status the
 * server reports. It answers a challenge only while it is still pending and finalizes only a
 * {@code ready} order, since Pebble refuses a second answer and a second finalize.
 */
class ResumeAfterRestartAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    /** Where the first client stops. */
    enum Restart {
        AFTER_NEW_ORDER, AFTER_ANSWERING_THE_CHALLENGE, AFTER_THE_AUTHORIZATION_IS_VALID, AFTER_FINALIZE,
        AFTER_THE_ORDER_IS_VALID
    }

    /** What a process stores to resume: URLs and keys, nothing else. */
    record Stored(URI accountUrl, URI orderUrl, AcmeSigner accountKey, AcmeSigner certificateKey, String name) {
    }

    private final PebbleFlow flow = new PebbleFlow(pebble.server());

    @ParameterizedTest(name = "first client dropped {0}")
    @EnumSource(Restart.class)
    void aNewClientWithTheSameKeyFinishesTheIssuanceFromTheStoredUrlsAlone(Restart restart) throws Exception {
        Stored stored = startAndDropTheFirstClient(restart);

        List<String> steps = new ArrayList<>();
        CertificateChain chain;
        try (AcmeClient second = flow.client()) {
            Account account = second.fetchAccount(stored.accountUrl(), stored.accountKey());
            assertThat(account.url()).isEqualTo(stored.accountUrl());
            assertThat(account.status()).isEqualTo(Status.VALID);
            Order order = account.fetchOrder(stored.orderUrl());
            chain = carryOn(order, stored.certificateKey(), steps);
        }

        assertThat(chain.leaf().getPublicKey()).isEqualTo(stored.certificateKey().publicKey());
        assertThat(subjectNames(chain.leaf())).containsExactly(stored.name());
        assertThat(steps).as("what the second client did").endsWith("download");
        if (restart.compareTo(Restart.AFTER_ANSWERING_THE_CHALLENGE) >= 0) {
            assertThat(steps).as("what the second client did").doesNotContain("answer");
        }
        if (restart.compareTo(Restart.AFTER_FINALIZE) >= 0) {
            assertThat(steps).as("what the second client did").doesNotContain("finalize");
        }
    }

    @Test
    void theSecondClientFindsAnAccountThatItHasNoUrlForByItsKeyAlone() throws Exception {
        Stored stored = startAndDropTheFirstClient(Restart.AFTER_NEW_ORDER);

        try (AcmeClient second = flow.client()) {
            Account found = second.findAccount(stored.accountKey());

            assertThat(found.url()).isEqualTo(stored.accountUrl());
            assertThat(found.fetchOrder(stored.orderUrl()).status()).isEqualTo(Status.PENDING);
        }
    }

    @Test
    void anOrderUrlResumedWithAnotherAccountsKeyIsRefused() throws Exception {
        Stored stored = startAndDropTheFirstClient(Restart.AFTER_NEW_ORDER);

        try (AcmeClient second = flow.client()) {
            Account stranger = flow.register(second, TestKeys.ecP256());

            assertThatThrownBy(() -> stranger.fetchOrder(stored.orderUrl()))
                    .isInstanceOf(AcmeUnauthorizedException.class);
        }
    }

    /** Runs the first client up to {@code restart}, stores the URLs and keys, and closes it. */
    private Stored startAndDropTheFirstClient(Restart restart) throws Exception {
        AcmeSigner accountKey = TestKeys.ecP256();
        AcmeSigner certificateKey = TestKeys.ecP256();
        String name = PebbleFlow.uniqueName("resume");
        try (AcmeClient first = flow.client()) {
            Account account = flow.register(first, accountKey);
            Order order = account.newOrder().domains(name).create();
            Stored stored = new Stored(account.url(), order.url(), accountKey, certificateKey, name);
            if (restart == Restart.AFTER_NEW_ORDER) {
                return stored;
            }
            Authorization authorization = order.fetchAuthorizations().get(0);
            Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
            pebble.server().http01Responder().serve(challenge.tokenValue(), challenge.keyAuthorization());
            challenge.respond();
            if (restart == Restart.AFTER_ANSWERING_THE_CHALLENGE) {
                return stored;
            }
            authorization.awaitCompletion();
            if (restart == Restart.AFTER_THE_AUTHORIZATION_IS_VALID) {
                return stored;
            }
            Order finalized = order.awaitCompletion().finalizeWith(certificateKey);
            if (restart == Restart.AFTER_FINALIZE) {
                return stored;
            }
            assertThat(finalized.awaitCompletion().status()).isEqualTo(Status.VALID);
            return stored;
        }
    }

    /**
     * Carries an order on from the status the server reports, as a restarted process would
     * (RFC 8555 section 7.4), noting each step taken.
     */
    private CertificateChain carryOn(Order order, AcmeSigner certificateKey, List<String> steps)
            throws AcmeException, InterruptedException {
        Order current = order;
        for (int step = 0; step < 8; step++) {
            switch (current.status()) {
                case PENDING:
                    authorizeWhatIsStillPending(current, steps);
                    steps.add("await order");
                    current = current.awaitCompletion();
                    break;
                case READY:
                    steps.add("finalize");
                    current = current.finalizeWith(certificateKey);
                    break;
                case PROCESSING:
                    steps.add("await order");
                    current = current.awaitCompletion();
                    break;
                case VALID:
                    steps.add("download");
                    return current.downloadCertificate();
                default:
                    throw new AssertionError("order " + current + " cannot be resumed");
            }
        }
        throw new AssertionError("order " + current + " did not become valid; steps: " + steps);
    }

    private void authorizeWhatIsStillPending(Order order, List<String> steps)
            throws AcmeException, InterruptedException {
        for (Authorization authorization : order.fetchAuthorizations()) {
            if (authorization.status() != Status.PENDING) {
                continue;
            }
            Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
            if (challenge.status() == Status.PENDING) {
                steps.add("answer");
                pebble.server().http01Responder().serve(challenge.tokenValue(), challenge.keyAuthorization());
                challenge.respond();
                pebble.server().http01Responder().awaitFetch(challenge.tokenValue(), Duration.ofSeconds(30));
            }
            steps.add("await authorization");
            authorization.awaitCompletion();
        }
    }

    private static List<String> subjectNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        for (List<?> san : certificate.getSubjectAlternativeNames()) {
            names.add((String) san.get(1));
        }
        return names;
    }
}
