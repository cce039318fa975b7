package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
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

/** {@code authz deactivate (--all-valid | URL...)}: RFC 8555 section 7.5.2. */
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
                Account account = client.findAccount(env.existingAccountKey());
                for (URI url : targets(account)) {
                    Authorization authorization = account.fetchAuthorization(url);
                    if (allValid && authorization.status() != Status.VALID) {
                        continue;
                    }
                    Authorization after = authorization.deactivate();
                    out().println(url + " " + after.rawStatus() + " " + after.identifier().value());
                }
                return Keyward.OK;
            }
        }

        private Set<URI> targets(Account account) throws Exception {
            Set<URI> targets = new LinkedHashSet<>();
            if (allValid) {
                for (URI order : account.fetchOrderUrls()) {
                    targets.addAll(account.fetchOrder(order).authorizationUrls());
                }
            } else {
                for (String url : urls) {
                    targets.add(Environment.uri(url, "authz deactivate"));
                }
            }
            return targets;
        }
    }
}
