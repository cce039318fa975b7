package dev.keyward.examples.cli;

import dev.keyward.acme.AccountExport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code account list}: one line per named account of the accounts folder ({@link AccountNames}):
 * its name, account URL and directory URL from its record, or {@code -} for each one it has no
 * record of (a key made by {@code --account NAME account register}). Talks to no CA.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the named accounts (--account NAME) of --accounts-dir: NAME ACCOUNT_URL DIRECTORY_URL"
                + " ('-' when unknown).")
final class AccountListCommand extends CliCommand {
    @Override
    public Integer call() throws Exception {
        Path root = AccountNames.root(global());
        List<String> names = AccountNames.names(root);
        for (String name : names) {
            Optional<AccountExport> record = AccountNames.record(root.resolve(name));
            out().println(name + " " + record.map(r -> r.accountUrl().toString()).orElse("-") + " "
                    + record.map(r -> r.directoryUrl().toString()).orElse("-"));
        }
        if (names.isEmpty()) {
            err().println("No named accounts in " + root);
        }
        return Keyward.OK;
    }
}
