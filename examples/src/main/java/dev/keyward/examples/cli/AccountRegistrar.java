package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeTlsException;
import dev.keyward.acme.AccountRequest;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.Problem;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Registers the account of a key before a command's issuance (RFC 8555 section 7.3), agreeing to
 * the CA's terms, and finds it when it exists: the one step before the issuance flow, which
 * retries its own steps, that the CLI rides out transient faults for itself.
 */
final class AccountRegistrar {
    /** The most attempts at the directory and newAccount; the command's deadline usually ends them sooner. */
    private static final int MAX_ATTEMPTS = 4;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

    private final AcmeClient client;
    private final Environment env;
    private final PrintStream log;

    AccountRegistrar(AcmeClient client, Environment env, PrintStream log) {
        this.client = client;
        this.env = env;
        this.log = log;
    }

    /**
     * Returns the key's account, created if needed.
     *
     * <p>Fetching the directory is safe to repeat; newAccount is not, on the wire: a connection cut
     * after the request left may have created the account. The same key always names the same
     * account (section 7.3.1), so after a failure that {@linkplain AcmeNetworkException#mayHaveTakenEffect()
     * may have taken effect} the next attempt looks the account up ({@code onlyReturnExisting}) and
     * registers only if the CA has none. A transient failure (the network, HTTP 500/502/504, 503
     * without Retry-After) is tried again after a doubling pause, at most {@value #MAX_ATTEMPTS}
     * attempts in all, and never past the command's deadline, measured on the client's clock.
     */
    Account register(AcmeSigner key, List<String> contacts, Optional<ExternalAccountBinding> eab)
            throws AcmeException, InterruptedException {
        boolean mayExist = false;
        boolean termsShown = false;
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            String step = "fetching the directory";
            try {
                var terms = client.fetchDirectory().meta().termsOfService();
                if (!termsShown) {
                    terms.ifPresent(tos -> log.println("Agreeing to the CA's terms of service: "
                            + ExitCodes.escape(String.valueOf(tos))));
                    termsShown = true;
                }
                step = "registering the account";
                Optional<Account> found = mayExist ? existing(key) : Optional.empty();
                return found.isPresent() ? found.get() : request(key, contacts, eab).create();
            } catch (AcmeNetworkException | AcmeServerException e) {
                if (!termsShown && e instanceof AcmeNetworkException && ((AcmeNetworkException) e).isUnreachable()) {
                    // The CA never answered and its address refuses connections or does not
                    // resolve: a wrong URL or a CA that is down, not a transient fault (as lego).
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)
                        || env.clock().now().plus(pause).isAfter(env.deadline())) {
                    throw e;
                }
                mayExist |= e instanceof AcmeNetworkException && ((AcmeNetworkException) e).mayHaveTakenEffect();
                log.println("Retrying " + step + " after: " + ExitCodes.oneLine(e.getMessage()));
                env.clock().sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private Optional<Account> existing(AcmeSigner key) throws AcmeException {
        try {
            return Optional.of(client.findAccount(key));
        } catch (AcmeServerException e) {
            if (e.problem().isAcmeError("accountDoesNotExist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private AccountRequest request(AcmeSigner key, List<String> contacts, Optional<ExternalAccountBinding> eab) {
        AccountRequest request = client.newAccount(key).agreeToTermsOfService();
        contacts.forEach(request::contact);
        eab.ifPresent(request::externalAccountBinding);
        return request;
    }

    /** A failure that may pass: not TLS refusing the CA, not a problem the CA means (an ACME error type). */
    private static boolean isTransient(AcmeException e) {
        if (e instanceof AcmeNetworkException) {
            return !(e instanceof AcmeTlsException);
        }
        Problem problem = ((AcmeServerException) e).problem();
        int status = problem.status().orElse(0);
        boolean serverFault = status == 500 || status == 502 || status == 504
                || (status == 503 && ((AcmeServerException) e).retryAfter().isEmpty());
        return serverFault && !problem.type().toString().startsWith(Problem.ACME_ERROR_PREFIX);
    }
}
