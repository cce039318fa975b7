package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole issuance of RFC 8555 section 7.4 with the fewest requests: account (created or found),
 * order, authorizations, one challenge each, finalize, certificate. Every challenge is deployed and
 * answered before any authorization is polled, so validations run at once.
 */
final class Issuance {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final AcmeClient client;
    private final PrintStream log;

    Issuance(AcmeClient client, PrintStream log) {
        this.client = client;
        this.log = log;
    }

    /** Registers the key's account (agreeing to the terms), or finds it when it exists. */
    Account account(AcmeSigner accountKey, List<String> contacts, java.util.Optional<dev.keyward.acme.ExternalAccountBinding> eab)
            throws AcmeException {
        client.fetchDirectory().meta().termsOfService()
                .ifPresent(tos -> log.println("Agreeing to the CA's terms of service: " + tos));
        var request = client.newAccount(accountKey).agreeToTermsOfService();
        for (String contact : contacts) {
            request.contact(contact);
        }
        eab.ifPresent(request::externalAccountBinding);
        return request.create();
    }

    /** Issues and returns the order once {@code valid}: its certificate is ready to download. */
    Order issue(Account account, List<String> domains, ChallengeSolver solver, AcmeSigner certificateKey)
            throws AcmeException, UsageException, InterruptedException {
        Order order = account.newOrder().domains(domains).create();
        List<Challenge> deployed = new ArrayList<>();
        List<Authorization> waiting = new ArrayList<>();
        try {
            for (Authorization authorization : order.fetchAuthorizations()) {
                if (authorization.status() == Status.VALID) {
                    continue;
                }
                Challenge challenge = solver.deploy(authorization);
                deployed.add(challenge);
                if (challenge.status() == Status.PENDING) {
                    challenge.respond();
                }
                waiting.add(authorization);
            }
            for (int i = 0; i < waiting.size(); i++) {
                solver.awaitCheck(deployed.get(i), CHECK_TIMEOUT);
                waiting.get(i).awaitCompletion();
            }
        } finally {
            for (Challenge challenge : deployed) {
                solver.remove(challenge);
            }
        }
        Order finalized = order.finalizeWith(certificateKey);
        return finalized.status() == Status.VALID ? finalized : finalized.awaitCompletion();
    }
}
