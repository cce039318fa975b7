package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import java.io.PrintStream;
import java.net.URI;
import java.util.stream.Collectors;

/**
 * {@code account show | deactivate | rollover | orders | contain}: the account lifecycle of RFC 8555
 * sections 7.1.2.1 and 7.3.5-7.3.6, and the containment of a compromised key.
 */
final class AccountCommands {
    private AccountCommands() {
    }

    static int show(Args args, PrintStream out, PrintStream err) throws UsageException, ConfigException, AcmeException {
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Account account = client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err));
            out.println(account.url());
            out.println("status: " + account.rawStatus());
            out.println("contacts: " + (account.contacts().isEmpty() ? "(none)" : String.join(", ", account.contacts())));
            account.ordersUrl().ifPresent(url -> out.println("orders: " + url));
            return Keyward.OK;
        }
    }

    static int deactivate(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException {
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Account account = client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err));
            Account after = account.deactivate();
            out.println(after.url());
            out.println("status: " + after.rawStatus());
            return Keyward.OK;
        }
    }

    static int rollover(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException {
        String newKeySpec = args.value("--new-key").orElseThrow(() -> new UsageException("account rollover needs --new-key FILE"));
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Account account = client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err));
            AcmeSigner newKey = Keys.newKeyFile(newKeySpec, err);
            Account rolled = account.changeKey(newKey);
            out.println(rolled.url());
            err.println("The account now uses the key in " + Pkcs11Uri.redacted(newKeySpec) + "; the old key is refused from now on.");
            return Keyward.OK;
        }
    }

    static int orders(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException {
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Account account = client.findAccount(Keys.existingAccountKey(args.value("--account-key"), err));
            for (URI url : account.fetchOrderUrls()) {
                Order order = account.fetchOrder(url);
                out.println(url + " " + order.rawStatus() + " "
                        + order.identifiers().stream().map(Identifier::value).collect(Collectors.joining(",")));
            }
            return Keyward.OK;
        }
    }

    static int contain(Args args, PrintStream out, PrintStream err) throws UsageException, ConfigException {
        boolean deactivate = args.flag("--deactivate");
        var rolloverTo = args.value("--rollover-to");
        if (deactivate == rolloverTo.isPresent()) {
            throw new UsageException("account contain needs exactly one of --rollover-to FILE and --deactivate");
        }
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            Containment.Builder builder = Containment.builder(client,
                    Keys.existingAccountKey(args.value("--account-key"), err));
            if (args.flag("--revoke-certificates")) {
                builder.revokeCertificates(args.value("--reason").isPresent()
                        ? Reasons.parse(args.value("--reason").get()) : RevocationReason.UNSPECIFIED);
            }
            if (deactivate) {
                builder.deactivateAccount();
            } else {
                builder.rolloverTo(Keys.newKeyFile(rolloverTo.get(), err));
            }
            ContainmentReport report = builder.build().run();
            out.print(report);
            err.println(report.succeeded() ? "Containment complete." : "Containment incomplete: run it again.");
            return report.succeeded() ? Keyward.OK : Keyward.CA_ERROR;
        }
    }
}
