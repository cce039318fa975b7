package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole issuance of RFC 8555 section 7.4 with the fewest requests: account (created or found),
 * order, authorizations, one challenge each, finalize, certificate. Every challenge is deployed and
 * answered before any authorization is polled, so validations run at once.
 *
 * <p>A transient fault at any step does not fail the issuance while the deadline lasts: the step
 * resumes from the server's state. newAccount is repeated (the same key finds the same account); a
 * newOrder whose outcome is unknown is replaced by a fresh order; a challenge is answered again only
 * if it is still pending; a finalize whose outcome is unknown is repeated only if the order is still
 * ready. Fetches and polls are safe to repeat.
 */
final class Issuance {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final AcmeClient client;
    private final PrintStream log;
    private final Deadline deadline;

    Issuance(AcmeClient client, PrintStream log, Deadline deadline) {
        this.client = client;
        this.log = log;
        this.deadline = deadline;
    }

    /** Registers the key's account (agreeing to the terms), or finds it when it exists. */
    Account account(AcmeSigner accountKey, List<String> contacts, Optional<ExternalAccountBinding> eab)
            throws AcmeException, UsageException, InterruptedException {
        deadline.run("fetching the directory", attempt -> client.fetchDirectory()).meta().termsOfService()
                .ifPresent(tos -> log.println("Agreeing to the CA's terms of service: " + tos));
        return deadline.run("registering the account", attempt -> {
            var request = client.newAccount(accountKey).agreeToTermsOfService();
            for (String contact : contacts) {
                request.contact(contact);
            }
            eab.ifPresent(request::externalAccountBinding);
            return request.create();
        });
    }

    /** Issues: returns the order once {@code valid}, with its certificate chain. */
    Result issue(Account account, List<String> domains, ChallengeSolver solver, AcmeSigner certificateKey)
            throws AcmeException, UsageException, InterruptedException {
        return issue(account, domains, solver, certificateKey, () -> { });
    }

    /**
     * Issues, calling {@code beforeFinalize} just before the CSR is sent: from then on a
     * certificate may exist for the key, so a caller keeps the key whatever happens next.
     */
    Result issue(Account account, List<String> domains, ChallengeSolver solver, AcmeSigner certificateKey,
                 Runnable beforeFinalize) throws AcmeException, UsageException, InterruptedException {
        Order order = deadline.run("creating the order", attempt -> account.newOrder().domains(domains).create());
        List<Challenge> deployed = new ArrayList<>();
        List<Authorization> waiting = new ArrayList<>();
        try {
            for (Authorization authorization : deadline.run("fetching authorizations", a -> order.fetchAuthorizations())) {
                if (authorization.status() == Status.VALID) {
                    continue;
                }
                Challenge challenge = solver.deploy(authorization);
                deployed.add(challenge);
                deadline.run("answering the challenge", attempt -> answer(challenge, attempt));
                waiting.add(authorization);
            }
            for (int i = 0; i < waiting.size(); i++) {
                solver.awaitCheck(deployed.get(i), CHECK_TIMEOUT);
                Authorization authorization = waiting.get(i);
                deadline.run("validating " + authorization.identifier().value(),
                        attempt -> authorization.awaitCompletion(deadline.pollPolicy()));
            }
        } finally {
            for (Challenge challenge : deployed) {
                solver.remove(challenge);
            }
        }
        beforeFinalize.run();
        Order finalized = deadline.run("finalizing the order", attempt -> finalizeOrder(order, certificateKey, attempt));
        Order valid = finalized.status() == Status.VALID ? finalized
                : deadline.run("waiting for the certificate", attempt -> finalized.awaitCompletion(deadline.pollPolicy()));
        CertificateChain chain = deadline.run("downloading the certificate", attempt -> valid.downloadCertificate());
        return new Result(valid, chain);
    }

    /** Answers a challenge; on a retry, only if the server still has it pending. */
    private static Challenge answer(Challenge challenge, int attempt) throws AcmeException {
        Challenge current = attempt == 1 ? challenge : challenge.fetch();
        return current.status() == Status.PENDING ? current.respond() : current;
    }

    /** Finalizes; on a retry, only if the order is still ready (a finalize may have gone through). */
    private static Order finalizeOrder(Order order, AcmeSigner certificateKey, int attempt) throws AcmeException {
        if (attempt > 1) {
            Order current = order.fetch();
            if (current.status() != Status.READY && current.status() != Status.PENDING) {
                return current;
            }
        }
        return order.finalizeWith(certificateKey);
    }

    /** An issued order and its certificate chain. */
    static final class Result {
        final Order order;
        final CertificateChain chain;

        Result(Order order, CertificateChain chain) {
            this.order = order;
            this.chain = chain;
        }
    }
}
