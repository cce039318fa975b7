package dev.keyward.examples.cli;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The top {@code keyward} command: holds the options every command shares ({@link GlobalOptions})
 * and the output streams, and names the subcommands. Run alone, it is a usage error.
 */
@Command(name = "keyward", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "An RFC 8555 (ACME) client: registers accounts and issues certificates.",
        footer = {"A key option (--account-key, --key, --new-key, --rollover-to, --cert-key) takes a PEM file, an",
                "RFC 7512 PKCS#11 URI (pkcs11:token=...;object=...?module-path=...&pin-source=file:PATH)",
                "or kms:KEY-ID|ARN|alias/NAME.",
                "Exit codes: 0 ok; 1 the CA refused or broke the protocol; 2 usage error;",
                "3 local I/O or configuration error, or the CA not reachable in time."},
        subcommands = {AccountCommands.class, IssueCommand.class, AuthzCommands.class, RevokeCommand.class,
                KeyCommands.class, CaCommands.class, RenewalInfoCommand.class, QueueCommands.class,
                RenewCommand.class, RunCommand.class, Demo.class})
final class KeywardCommand extends CommandGroup {
    @Mixin
    final GlobalOptions global = new GlobalOptions();

    final PrintStream out;
    final PrintStream err;

    KeywardCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }
}
