package dev.keyward.benchmarks;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.Http01Responder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The issuance the {@code keyward issue} command runs (examples' package-private {@code Issuance}
 * with its http-01 solver), restated here request for request: directory, {@code newAccount}
 * agreeing to the terms, {@code newOrder}, each authorization fetched, every http-01 answer
 * deployed and its challenge answered before any authorization is polled, then for each the wait
 * for the validator's fetch and {@code awaitCompletion()}, finalize, {@code awaitCompletion()} when
 * not yet valid, and the certificate download. Keep it in step with {@code Issuance}.
 */
final class IssuanceFlow {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private IssuanceFlow() {
    }

    /**
     * Registers a new account for {@code accountKey} and issues a certificate for {@code domains}.
     *
     * @param client the client, fresh so that its directory and nonce pool are empty
     * @param responder answers Pebble's http-01 validation
     * @param accountKey the new account's key
     * @param domains the names to certify
     * @param certificateKey the key to certify
     * @return the downloaded chain
     * @throws AcmeException if the CA refuses or cannot be reached
     * @throws InterruptedException if interrupted while waiting for the validator
     */
    static CertificateChain issue(AcmeClient client, Http01Responder responder, AcmeSigner accountKey,
                                  List<String> domains, AcmeSigner certificateKey)
            throws AcmeException, InterruptedException {
        client.fetchDirectory().meta().termsOfService();
        Account account = client.newAccount(accountKey).agreeToTermsOfService().create();

        Order order = account.newOrder().domains(domains).create();
        List<Http01Challenge> deployed = new ArrayList<>();
        List<Authorization> waiting = new ArrayList<>();
        try {
            for (Authorization authorization : order.fetchAuthorizations()) {
                if (authorization.status() == Status.VALID) {
                    continue;
                }
                Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow(() ->
                        new IllegalStateException("no http-01 challenge for " + authorization.identifier().value()));
                responder.serve(challenge.tokenValue(), challenge.keyAuthorization());
                deployed.add(challenge);
                if (challenge.status() == Status.PENDING) {
                    challenge.respond();
                }
                waiting.add(authorization);
            }
            for (int i = 0; i < waiting.size(); i++) {
                responder.awaitFetch(deployed.get(i).tokenValue(), CHECK_TIMEOUT);
                waiting.get(i).awaitCompletion();
            }
        } finally {
            for (Http01Challenge challenge : deployed) {
                responder.remove(challenge.tokenValue());
            }
        }
        Order finalized = order.finalizeWith(certificateKey);
        if (finalized.status() != Status.VALID) {
            finalized = finalized.awaitCompletion();
        }
        return finalized.downloadCertificate();
    }
}
