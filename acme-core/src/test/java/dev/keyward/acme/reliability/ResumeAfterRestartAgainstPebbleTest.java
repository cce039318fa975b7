package dev.keyward.acme.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceResult;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Orders and accounts survive a process restart (RFC 8555 sections 7.1.2, 7.1.3, 7.4): a first
 * client's issuance crashes part-way through, leaving its order pending, ready, processing or valid,
 * and a second client, built afresh with the same account key, resumes that order by its stored URL
 * ({@code IssuanceRequest.resumeOrder}) without creating another. The flow answers a challenge only
 * while it is still pending and finalizes only a {@code ready} order, since Pebble refuses a second
 * answer and a second finalize. Reuse 0: every order of the test needs its own challenge.
 */
class ResumeAfterRestartAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    /** Where the first client crashes, and the order states the second client may find then. */
    enum Restart {
        AFTER_NEW_ORDER(Status.PENDING),
        AFTER_ANSWERING_THE_CHALLENGE(Status.PENDING, Status.READY),
        AFTER_THE_AUTHORIZATION_IS_VALID(Status.READY),
        AFTER_FINALIZE(Status.PROCESSING, Status.VALID),
        AFTER_THE_ORDER_IS_VALID(Status.VALID);

        final Set<Status> found;

        Restart(Status first, Status... more) {
            this.found = EnumSet.of(first, more);
        }
    }

    /** What a process stores to resume: URLs and keys, nothing else. */
    record Stored(URI accountUrl, URI orderUrl, AcmeSigner accountKey, AcmeSigner certificateKey, String name) {
    }

    /** The crash of the first process, thrown from its issuance listener. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("crashed " + where);
        }
    }

    private final PebbleFlow flow = new PebbleFlow(pebble.server());

    @ParameterizedTest(name = "first client crashed {0}")
    @EnumSource(Restart.class)
    void aNewClientWithTheSameKeyResumesTheOrderByItsUrlWithoutCreatingAnother(Restart restart) throws Exception {
        Stored stored = crashTheFirstClient(restart);

        List<String> steps = new ArrayList<>();
        IssuanceResult result;
        try (AcmeClient second = flow.client()) {
            Account account = second.fetchAccount(stored.accountUrl(), stored.accountKey());
            assertThat(account.status()).isEqualTo(Status.VALID);
            assertThat(account.fetchOrder(stored.orderUrl()).status()).as("the order found after the crash")
                    .isIn(restart.found);
            List<URI> ordersBefore = account.fetchOrderUrls();

            result = account.issue(flow.request(List.of(stored.name()), PebbleFlow.Method.HTTP01,
                    stored.certificateKey()).resumeOrder(stored.orderUrl()).listener(stepsInto(steps)).build());

            assertThat(account.fetchOrderUrls()).as("the account's orders after resuming")
                    .containsExactlyInAnyOrderElementsOf(ordersBefore).contains(stored.orderUrl());
        }

        CertificateChain chain = result.chain();
        assertThat(result.order().url()).isEqualTo(stored.orderUrl());
        assertThat(result.order().status()).isEqualTo(Status.VALID);
        assertThat(chain.leaf().getPublicKey()).isEqualTo(stored.certificateKey().publicKey());
        assertThat(subjectNames(chain.leaf())).containsExactly(stored.name());
        assertThat(steps).as("what the second client did").startsWith("resumed").endsWith("download");
        if (restart.compareTo(Restart.AFTER_ANSWERING_THE_CHALLENGE) >= 0) {
            assertThat(steps).as("what the second client did").doesNotContain("answer");
        }
        if (restart.compareTo(Restart.AFTER_FINALIZE) >= 0) {
            assertThat(steps).as("what the second client did").doesNotContain("deploy", "finalize");
        }
    }

    @Test
    void theSecondClientFindsAnAccountThatItHasNoUrlForByItsKeyAlone() throws Exception {
        Stored stored = crashTheFirstClient(Restart.AFTER_NEW_ORDER);

        try (AcmeClient second = flow.client()) {
            Account found = second.findAccount(stored.accountKey());

            assertThat(found.url()).isEqualTo(stored.accountUrl());
            assertThat(found.fetchOrder(stored.orderUrl()).status()).isEqualTo(Status.PENDING);
        }
    }

    @Test
    void anOrderUrlResumedWithAnotherAccountsKeyIsRefused() throws Exception {
        Stored stored = crashTheFirstClient(Restart.AFTER_NEW_ORDER);

        try (AcmeClient second = flow.client()) {
            Account stranger = flow.register(second, TestKeys.ecP256());

            assertThatThrownBy(() -> stranger.issue(flow.request(List.of(stored.name()), PebbleFlow.Method.HTTP01,
                    stored.certificateKey()).resumeOrder(stored.orderUrl()).build()))
                    .isInstanceOf(AcmeUnauthorizedException.class);
        }
    }

    /**
     * Runs the first client's issuance until it crashes at {@code restart}; its http-01 answers stay
     * up, as a web server outliving the crashed process would keep serving them.
     */
    private Stored crashTheFirstClient(Restart restart) throws Exception {
        AcmeSigner accountKey = TestKeys.ecP256();
        AcmeSigner certificateKey = TestKeys.ecP256();
        String name = PebbleFlow.uniqueName("resume");
        AtomicReference<URI> orderUrl = new AtomicReference<>();
        try (AcmeClient first = flow.client()) {
            Account account = flow.register(first, accountKey);
            ChallengeSolver outlivesTheCrash = new KeptAnswers(flow.solver(PebbleFlow.Method.HTTP01));
            IssuanceListener crashing = new IssuanceListener() {
                @Override
                public void orderCreated(Order order) {
                    orderUrl.set(order.url());
                    crashIf(restart == Restart.AFTER_NEW_ORDER, "after creating the order");
                }

                @Override
                public void challengeAnswered(Challenge challenge) {
                    crashIf(restart == Restart.AFTER_ANSWERING_THE_CHALLENGE, "after answering the challenge");
                }

                @Override
                public void authorizationValid(Authorization authorization) {
                    crashIf(restart == Restart.AFTER_THE_AUTHORIZATION_IS_VALID
                            || restart == Restart.AFTER_FINALIZE, "once the authorization is valid");
                }

                @Override
                public void issued(Order order, CertificateChain chain) {
                    crashIf(restart == Restart.AFTER_THE_ORDER_IS_VALID, "after downloading the certificate");
                }
            };

            assertThatThrownBy(() -> account.issue(flow.request(List.of(name), PebbleFlow.Method.HTTP01,
                    certificateKey).solvers(outlivesTheCrash).listener(crashing).build()))
                    .isInstanceOf(Crash.class);

            if (restart == Restart.AFTER_FINALIZE) {
                // no flow event follows the finalize request, so this one state is reached by hand
                Order ready = account.fetchOrder(orderUrl.get());
                assertThat(ready.status()).isEqualTo(Status.READY);
                assertThat(ready.finalizeWith(certificateKey).status()).isIn(Status.PROCESSING, Status.VALID);
            }
            return new Stored(account.url(), orderUrl.get(), accountKey, certificateKey, name);
        }
    }

    private static void crashIf(boolean now, String where) {
        if (now) {
            throw new Crash(where);
        }
    }

    private static IssuanceListener stepsInto(List<String> steps) {
        return new IssuanceListener() {
            @Override
            public void orderCreated(Order order) {
                steps.add("resumed");
            }

            @Override
            public void challengeDeployed(Challenge challenge, ChallengeSolver solver) {
                steps.add("deploy");
            }

            @Override
            public void challengeAnswered(Challenge challenge) {
                steps.add("answer");
            }

            @Override
            public void finalizing(Order order) {
                steps.add("finalize");
            }

            @Override
            public void issued(Order order, CertificateChain chain) {
                steps.add("download");
            }
        };
    }

    /** A solver whose answers outlive the process: {@code remove} leaves them served. */
    private static final class KeptAnswers implements ChallengeSolver {
        private final ChallengeSolver solver;

        KeptAnswers(ChallengeSolver solver) {
            this.solver = solver;
        }

        @Override
        public Set<String> challengeTypes() {
            return solver.challengeTypes();
        }

        @Override
        public void deploy(Challenge challenge) throws dev.keyward.acme.AcmeSolverException {
            solver.deploy(challenge);
        }

        @Override
        public void remove(Challenge challenge) {
            // the crashed process's web server keeps serving
        }

        @Override
        public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
            return solver.awaitValidation(challenge, timeout);
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
