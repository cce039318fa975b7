package dev.keyward.acme.kms.aws;

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
import dev.keyward.acme.testkit.PebbleServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issuance over http-01 (RFC 8555 sections 7.4 and 8.3) against the test kit's Pebble, through the
 * flow ({@link Account#issue}); the test kit's responder on Pebble's http-01 port serves the answers.
 */
final class KmsPebbleFlow {
    private final PebbleServer pebble;

    KmsPebbleFlow(PebbleServer pebble) {
        this.pebble = pebble;
    }

    AcmeClient client() {
        return AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
    }

    static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".kms.keyward.test";
    }

    Account register(AcmeClient client, AcmeSigner accountKey) throws AcmeException {
        return client.newAccount(accountKey).agreeToTermsOfService().create();
    }

    /** Issues a certificate for the names with the key, proving them over http-01. */
    CertificateChain issue(Account account, List<String> names, AcmeSigner certificateKey) throws AcmeException {
        return account.issue(IssuanceRequest.builder().domains(names).certificateKey(certificateKey)
                .solvers(new ResponderSolver(pebble.http01Responder())).build()).chain();
    }

    /** The test kit's http-01 responder as a solver; it tells the flow when Pebble fetched a token. */
    private static final class ResponderSolver implements ChallengeSolver {
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
