package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.Status;
import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code authz deactivate (--all-valid | URL...)}: RFC 8555 section 7.5.2. */
final class AuthzCommands {
    private AuthzCommands() {
    }

    static int deactivate(Args args, List<String> urls, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException {
        boolean allValid = args.flag("--all-valid");
        if (allValid == !urls.isEmpty()) {
            throw new UsageException("authz deactivate needs --all-valid or authorization URLs, not both");
        }
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Account account = client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err));
            Set<URI> targets = new LinkedHashSet<>();
            if (allValid) {
                for (URI order : account.fetchOrderUrls()) {
                    targets.addAll(account.fetchOrder(order).authorizationUrls());
                }
            } else {
                for (String url : urls) {
                    targets.add(Commands.uri(url, "authz deactivate"));
                }
            }
            for (URI url : targets) {
                Authorization authorization = account.fetchAuthorization(url);
                if (allValid && authorization.status() != Status.VALID) {
                    continue;
                }
                Authorization after = authorization.deactivate();
                out.println(url + " " + after.rawStatus() + " " + after.identifier().value());
            }
            return Keyward.OK;
        }
    }
}
