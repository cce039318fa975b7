package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.testkit.Http01Responder;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The issuance the {@code keyward issue} command runs: directory, {@code newAccount} agreeing to the
 * terms (which finds the account when the key has one), then the core's one-call flow
 * ({@code Account.issue}) with http-01 answered by the test kit's responder on Pebble's http-01 port.
 */
final class IssuanceFlow {
    private IssuanceFlow() {
    }

    /**
     * Registers (or finds) the account of {@code accountKey} and issues a certificate for {@code domains}.
     *
     * @param client the client, fresh so that its directory and nonce pool are empty
     * @param responder answers Pebble's http-01 validation
     * @param accountKey the account's key
     * @param domains the names to certify
     * @param certificateKey the key to certify
     * @return the downloaded chain
     * @throws AcmeException if the CA refuses or cannot be reached
     */
    static CertificateChain issue(AcmeClient client, Http01Responder responder, AcmeSigner accountKey,
                                  List<String> domains, AcmeSigner certificateKey) throws AcmeException {
        client.fetchDirectory().meta().termsOfService();
        Account account = client.newAccount(accountKey).agreeToTermsOfService().create();
        return account.issue(IssuanceRequest.builder().domains(domains).certificateKey(certificateKey)
                .solvers(new ResponderSolver(responder)).build()).chain();
    }

    /** The test kit's http-01 responder as a solver; it tells the flow when Pebble fetched a token. */
    static final class ResponderSolver implements ChallengeSolver {
        private final Http01Responder responder;

        ResponderSolver(Http01Responder responder) {
            this.responder = responder;
        }

        @Override
        public Set<String> challengeTypes() {
            return Set.of(Http01Challenge.TYPE);
        }

        @Override
        public boolean canSolve(Authorization authorization) {
            return !authorization.isWildcard();
        }

        @Override
        public void deploy(Challenge challenge) {
            responder.serve(challenge.token().orElseThrow(), challenge.keyAuthorization());
        }

        @Override
        public void remove(Challenge challenge) {
            challenge.token().ifPresent(responder::remove);
        }

        @Override
        public boolean awaitValidation(Challenge challenge, Duration timeout) throws InterruptedException {
            return responder.awaitFetch(challenge.token().orElseThrow(), timeout);
        }
    }
}
