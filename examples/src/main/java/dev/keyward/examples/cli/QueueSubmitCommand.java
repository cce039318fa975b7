package dev.keyward.examples.cli;

import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.jdbc.CsrState;
import dev.keyward.acme.jdbc.CsrSubmission;
import dev.keyward.acme.jdbc.QueuedCsr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code queue submit}: stores a caller's CSR (its key never reaches Keyward) with the CA's
 * directory, prints the new row's id. The identifiers come from the CSR; a bad CSR is stored as
 * {@code failed} with the reason (exit 2).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Queue a CSR (PEM or DER) for --directory; prints the new row's id.")
final class QueueSubmitCommand extends CliCommand {
    @Mixin
    QueueDatabase database;

    @Option(names = "--csr", paramLabel = "FILE", required = true, description = "the CSR, PEM or DER")
    Path csr;

    @Option(names = "--profile", paramLabel = "NAME", description = "the certificate profile to ask the CA for")
    String profile;

    @Option(names = "--solver", paramLabel = "NAME", description = "a solver the row may use: http-01 or dns-01; repeat"
            + " for more (default: the worker's)")
    List<String> solvers;

    @Option(names = "--account-name", paramLabel = "NAME", defaultValue = CsrSubmission.DEFAULT_ACCOUNT,
            description = "the account name whose workers issue it (default ${DEFAULT-VALUE})")
    String accountName;

    @Option(names = "--allow-domain", paramLabel = "DOMAIN", description = "accept only names under this domain; repeat")
    List<String> allowedDomains;

    @Override
    public Integer call() throws Exception {
        if (global().directory == null) {
            throw new UsageException("queue submit needs --directory URL of the CA that will issue it");
        }
        CsrSubmission.Builder submission = CsrSubmission.builder()
                .directory(Environment.uri(global().directory, "--directory"));
        try {
            submission.account(accountName).solvers(solvers == null ? List.of() : solvers);
            if (profile != null) {
                submission.profile(profile);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            submission.csr(Files.readAllBytes(csr));
        } catch (IOException e) {
            throw new ConfigException("cannot read --csr " + csr + ": " + e.getMessage(), e);
        }
        try (CsrQueue queue = database.open(allowedDomains)) {
            long id = queue.submit(submission.build());
            out().println(id);
            QueuedCsr row = queue.get(id).orElseThrow();
            if (row.state() == CsrState.FAILED) {
                err().println("keyward: row " + id + " failed: " + ExitCodes.oneLine(row.failureReason().orElse("?")));
                return Keyward.USAGE;
            }
            err().println("Queued " + ExitCodes.escape(String.join(", ", row.identifiers())) + " as row " + id);
            return Keyward.OK;
        }
    }
}
