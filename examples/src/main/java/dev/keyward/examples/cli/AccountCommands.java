package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code account register | show | deactivate | rollover | orders | contain | export | import}: the account
 * lifecycle of RFC 8555 sections 7.3 and 7.3.5-7.3.6, the containment of a compromised key, and
 * moving an account between machines and clients ({@link AccountExportCommand}, {@link AccountImportCommand}).
 * Each subcommand is one small class.
 */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Manage the account of --account-key.",
        subcommands = {AccountCommands.Register.class, AccountCommands.Show.class, AccountCommands.Deactivate.class,
                AccountCommands.Rollover.class, AccountCommands.Orders.class, AccountCommands.Contain.class,
                AccountExportCommand.class, AccountImportCommand.class, AccountListCommand.class})
final class AccountCommands extends CommandGroup {

    /**
     * {@code account register}: prints the account URL alone on the first line. For a key whose
     * account exists already, {@code --contact} replaces that account's contacts.
     */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register the account of --account-key (or find it, and replace its contacts with"
                    + " the --contact given); print its URL.")
    static final class Register extends CliCommand {
        @Option(names = "--contact", paramLabel = "mailto:ADDR", description = "a contact URL; repeat for more")
        List<String> contacts = new ArrayList<>();

        @ArgGroup(exclusive = false)
        EabOptions eab;

        @Override
        public Integer call() throws Exception {
            List<String> urls = contacts.stream().map(c -> c.contains(":") ? c : "mailto:" + c).toList();
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                AcmeSigner signer = env.accountKey();
                Account account = new AccountRegistrar(client, env, err()).register(signer, urls,
                        EabOptions.of(eab));
                if (!urls.isEmpty() && !account.contacts().equals(urls)) {
                    // The key's account existed already: newAccount leaves it as it is (RFC 8555 section 7.3.1).
                    account = account.updateContacts(urls);
                    err().println("Updated the contacts of the existing account (RFC 8555 section 7.3.2)");
                }
                if (global().accountName != null && AccountNames.record(AccountNames.folder(global())).isEmpty()) {
                    // a named account remembers its CA and URL, for account list and a later --account NAME
                    AccountNames.writeRecord(global(), AccountNames.folder(global()), env, account, signer);
                }
                out().println(ExitCodes.escape(account.url().toString()));
                err().println("status: " + ExitCodes.escape(account.rawStatus()) + (account.contacts().isEmpty() ? ""
                        : ", contacts: " + ExitCodes.escape(String.join(", ", account.contacts()))));
                return Keyward.OK;
            }
        }
    }

    /** {@code account show}: URL, status, contacts and orders URL. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the account's URL, status and contacts.")
    static final class Show extends CliCommand {
        @Override
        public Integer call() throws Exception {
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Account account = client.findAccount(env.existingAccountKey());
                out().println(ExitCodes.escape(account.url().toString()));
                out().println("status: " + ExitCodes.escape(account.rawStatus()));
                out().println("contacts: " + (account.contacts().isEmpty() ? "(none)"
                        : ExitCodes.escape(String.join(", ", account.contacts()))));
                account.ordersUrl().ifPresent(url -> out().println("orders: " + ExitCodes.escape(url.toString())));
                return Keyward.OK;
            }
        }
    }

    /** {@code account deactivate} (section 7.3.6). */
    @Command(name = "deactivate", mixinStandardHelpOptions = true, description = "Deactivate the account for good.")
    static final class Deactivate extends CliCommand {
        @Override
        public Integer call() throws Exception {
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Account after = client.findAccount(env.existingAccountKey()).deactivate();
                out().println(ExitCodes.escape(after.url().toString()));
                out().println("status: " + ExitCodes.escape(after.rawStatus()));
                return Keyward.OK;
            }
        }
    }

    /** {@code account rollover --new-key FILE} (section 7.3.5). */
    @Command(name = "rollover", mixinStandardHelpOptions = true, description = "Move the account to a new key.")
    static final class Rollover extends CliCommand {
        @Option(names = "--new-key", paramLabel = "KEY", required = true,
                description = "the new key: a PEM file (created when absent), pkcs11: URI or kms:KEY")
        String newKey;

        @Override
        public Integer call() throws Exception {
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Account account = client.findAccount(env.existingAccountKey());
                AcmeSigner key = env.keys().newKeyFile(newKey);
                out().println(ExitCodes.escape(account.changeKey(key).url().toString()));
                err().println("The account now uses the key in " + Pkcs11Uri.redacted(newKey)
                        + "; the old key is refused from now on.");
                return Keyward.OK;
            }
        }
    }

    /** {@code account orders}: one line per order with its status and identifiers. */
    @Command(name = "orders", mixinStandardHelpOptions = true, description = "List the account's orders.")
    static final class Orders extends CliCommand {
        @Override
        public Integer call() throws Exception {
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Account account = client.findAccount(env.existingAccountKey());
                for (URI url : account.fetchOrderUrls()) {
                    Order order = account.fetchOrder(url);
                    out().println(ExitCodes.escape(url + " " + order.rawStatus() + " "
                            + order.identifiers().stream().map(Identifier::value).collect(Collectors.joining(","))));
                }
                return Keyward.OK;
            }
        }
    }

    /**
     * {@code account contain [--revoke-certificates [--reason CODE]] [--accept-loss] (--rollover-to FILE |
     * --deactivate)}: prints each item as it happens (so an interrupted run still shows what it saw),
     * then whether containment is complete; exits 1 unless it is.
     */
    @Command(name = "contain", mixinStandardHelpOptions = true,
            description = "Contain a compromised account key: optionally revoke, deactivate authorizations, then"
                    + " roll over or deactivate (held back until the orders list and every revocation succeeded,"
                    + " unless --accept-loss). Safe to run again.")
    static final class Contain extends CliCommand {
        /** The one-line hint for a certificate the account can no longer revoke. */
        static final String REVOKE_BY_OWN_KEY = "keyward revoke --cert FILE --cert-key KEYFILE";

        @ArgGroup(exclusive = true, multiplicity = "1")
        Ending ending;

        @Option(names = "--revoke-certificates", description = "revoke the account's certificates too")
        boolean revokeCertificates;

        @Option(names = "--reason", paramLabel = "CODE", converter = Reasons.Converter.class,
                description = "the revocation reason, with --revoke-certificates: 0-10 (not 7) or a name")
        RevocationReason reason;

        @Option(names = "--accept-loss", description = "roll over or deactivate even if the orders list or a"
                + " revocation failed; certificates left unrevoked can then be revoked only with their own keys")
        boolean acceptLoss;

        /** How containment ends: on a new key, or with the account deactivated. */
        static final class Ending {
            @Option(names = "--rollover-to", paramLabel = "KEY", description = "roll the account over to this key")
            String rolloverTo;

            @Option(names = "--deactivate", description = "deactivate the account")
            boolean deactivate;
        }

        @Override
        public Integer call() throws Exception {
            if (reason != null && !revokeCertificates) {
                throw new UsageException("--reason needs --revoke-certificates");
            }
            try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
                Containment.Builder builder = Containment.builder(client, env.existingAccountKey())
                        .endEvenIfIncomplete(acceptLoss).listener(new Containment.Listener() {
                            @Override
                            public void itemAdded(ContainmentReport.Item item) {
                                out().println(ExitCodes.oneLine(String.valueOf(item)));
                                out().flush();
                            }
                        });
                if (revokeCertificates) {
                    builder.revokeCertificates(reason == null ? RevocationReason.UNSPECIFIED : reason);
                }
                if (ending.deactivate) {
                    builder.deactivateAccount();
                } else {
                    builder.rolloverTo(env.keys().newKeyFile(ending.rolloverTo));
                }
                ContainmentReport report = builder.build().run();
                if (report.complete()) {
                    err().println("Containment complete.");
                    return Keyward.OK;
                }
                err().println("Containment incomplete:");
                for (ContainmentReport.Item item : report.incompleteItems()) {
                    err().println("  " + ExitCodes.oneLine(String.valueOf(item)));
                }
                for (ContainmentReport.UnrevokedCertificate certificate : report.unrevokedCertificates()) {
                    err().println("Not revoked: " + ExitCodes.escape(certificate.url() + certificate.serial()
                            .map(s -> " serial " + s).orElse("")) + "; revoke it with its own key: " + REVOKE_BY_OWN_KEY);
                }
                if (!report.allCertificatesKnown()) {
                    err().println("The account's certificates could not all be listed: revoke each one you hold"
                            + " with its own key: " + REVOKE_BY_OWN_KEY);
                }
                boolean heldBack = report.incompleteItems().stream()
                        .anyMatch(i -> i.outcome() == ContainmentReport.Outcome.NOT_DONE);
                boolean deactivated = report.items(ContainmentReport.Step.ACCOUNT_DEACTIVATION).stream()
                        .anyMatch(i -> i.outcome() == ContainmentReport.Outcome.DONE
                                || i.outcome() == ContainmentReport.Outcome.ALREADY_DONE);
                if (heldBack) {
                    err().println("The account was left as it is so that it can still revoke: fix the cause and run"
                            + " it again, or pass --accept-loss.");
                } else if (deactivated) {
                    err().println("The account is deactivated and can no longer revoke: revoke what is left with"
                            + " each certificate's own key.");
                } else {
                    err().println("Run it again once the cause is fixed.");
                }
                return Keyward.CA_ERROR;
            }
        }
    }
}
