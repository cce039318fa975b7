package dev.keyward.examples.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The top {@code keyward} command: holds the options every command shares ({@link GlobalOptions})
 * and the output streams, and names the subcommands ({@link #SUBCOMMANDS}, which {@link Keyward}
 * adds). Run alone, it is a usage error.
 */
@Command(name = "keyward", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "An RFC 8555 (ACME) client: registers accounts and issues certificates.",
        footer = {"A key option (--account-key, --key, --new-key, --rollover-to, --cert-key) takes a PEM file, an",
                "RFC 7512 PKCS#11 URI (pkcs11:token=...;object=...?module-path=...&pin-source=file:PATH)",
                "or kms:KEY-ID|ARN|alias/NAME.",
                "Exit codes: 0 ok; 1 the CA refused or broke the protocol; 2 usage error;",
                "3 local I/O or configuration error, or the CA not reachable in time."})
final class KeywardCommand extends CommandGroup {
    /** The subcommands by name, in the order help lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("account", AccountCommands.class);
        all.put("issue", IssueCommand.class);
        all.put("authz", AuthzCommands.class);
        all.put("revoke", RevokeCommand.class);
        all.put("key", KeyCommands.class);
        all.put("ca", CaCommands.class);
        all.put("renewal-info", RenewalInfoCommand.class);
        all.put("queue", QueueCommands.class);
        all.put("renew", RenewCommand.class);
        all.put("run", RunCommand.class);
        all.put("demo", Demo.class);
        return Collections.unmodifiableMap(all);
    }

    @Mixin
    final GlobalOptions global = new GlobalOptions();

    final PrintStream out;
    final PrintStream err;

    KeywardCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }
}
