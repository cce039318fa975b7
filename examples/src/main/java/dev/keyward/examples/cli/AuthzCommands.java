package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeForeignUrlException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.Status;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code authz deactivate (--all-valid | URL...)}: RFC 8555 section 7.5.2. A URL off the CA's origin
 * (the directory URL's scheme, host and port) is a usage error, found before anything is signed.
 */
@Command(name = "authz", mixinStandardHelpOptions = true, description = "Manage authorizations.",
        subcommands = AuthzCommands.Deactivate.class)
final class AuthzCommands extends CommandGroup {

    /** Deactivates the given authorizations, or every valid one of the account's orders. */
    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Deactivate authorizations: the given URLs, or --all-valid of the account's orders.")
    static final class Deactivate extends CliCommand {
        @Option(names = "--all-valid", description = "every valid authorization of the account's orders")
        boolean allValid;

        @Parameters(paramLabel = "URL", arity = "0..*", description = "authorization URLs")
        List<String> urls = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (allValid == !urls.isEmpty()) {
                throw new UsageException("authz deactivate needs --all-valid or authorization URLs, not both");
            }
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                List<URI> given = new ArrayList<>();
                for (String url : urls) {
                    try {
                        given.add(client.requireCaOrigin(Environment.uri(url, "authz deactivate")));
                    } catch (AcmeForeignUrlException e) {
                        // Checked before anything is signed: the account key signs for its CA only.
                        throw new UsageException("authz deactivate: " + ExitCodes.escape(url) + " is not on the CA's"
                                + " origin " + e.directoryUrl().getScheme() + "://" + e.directoryUrl().getAuthority()
                                + "; refusing to sign a request for it");
                    }
                }
                Account account = client.findAccount(env.existingAccountKey());
                for (URI url : allValid ? allValid(account) : new LinkedHashSet<>(given)) {
                    Authorization authorization = account.fetchAuthorization(url);
                    if (allValid && authorization.status() != Status.VALID) {
                        continue;
                    }
                    Authorization after = authorization.deactivate();
                    out().println(ExitCodes.escape(url + " " + after.rawStatus() + " " + after.identifier().value()));
                }
                return Keyward.OK;
            }
        }

        private Set<URI> allValid(Account account) throws Exception {
            Set<URI> targets = new LinkedHashSet<>();
            for (URI order : account.fetchOrderUrls()) {
                targets.addAll(account.fetchOrder(order).authorizationUrls());
            }
            return targets;
        }
    }
}
