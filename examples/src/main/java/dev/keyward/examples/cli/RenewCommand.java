package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeException;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.ManagedCertificate;
import dev.keyward.acme.manager.RenewalCheck;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code renew --config FILE}: one pass over the config file's certificate sets, for cron. Through
 * acme-manager ({@link CertificateManager#load()}, {@link CertificateManager#check(String)},
 * {@link CertificateManager#renewNow(String)}), with no background thread: a set without a
 * certificate is issued; for every other set the CA's renewal information (RFC 9773) is fetched on
 * every run, as {@code certbot renew} does, and the set is renewed, with {@code replaces}, once the
 * window has started (or, from a CA without ARI, once a third of its lifetime is left); a set not due
 * gets no other request. Prints one line per set; exit 0 when nothing failed, 1 when an issuance or
 * its deployment failed, 2 for a bad config file. {@code --dry-run} fetches the renewal information
 * and says what it would do, and orders nothing.
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Issue or renew what is due among the config file's certificates, once (for cron).",
        footer = {"Prints one line per certificate set: issued, renewed (why), not due until WHEN, or failed.",
                "Exit codes: 0 nothing failed; 1 an issuance or its deployment failed; 2 a bad config file."})
final class RenewCommand extends CliCommand {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the YAML config file")
    Path config;

    @Option(names = "--dry-run", description = "say what would be issued or renewed and why; order nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        ManagerConfig parsed = ManagerConfig.read(config);
        Deployment deployment = new Deployment(parsed, err(), false, dryRun);
        boolean failed = false;
        try (ManagedSets sets = ManagedSets.open(parsed, AccountNames.root(global()), deployment, false, !dryRun, err())) {
            CertificateManager manager = sets.manager();
            manager.load();
            for (String name : manager.setNames()) {
                RenewalCheck check = manager.check(name);
                if (!check.isDue()) {
                    out().println(name + ": not due until " + check.dueAt() + " ("
                            + (check.reason().equals("ari") ? "the CA's renewal window" : "a third of its lifetime left")
                            + ")");
                    continue;
                }
                boolean first = check.current().isEmpty();
                if (dryRun) {
                    out().println(name + ": would " + (first ? "issue" : "renew") + " (" + check.reason() + ")");
                    continue;
                }
                try {
                    ManagedCertificate issued = manager.renewNow(name);
                    if (deployment.failure(name).isPresent()) {
                        failed = true;
                        out().println(name + ": failed: " + deployment.failure(name).get());
                    } else {
                        out().println(name + ": " + (first ? "issued" : "renewed (" + check.reason() + ")")
                                + ", valid until " + issued.notAfter());
                    }
                } catch (AcmeException | IOException | RuntimeException e) {
                    failed = true;
                    out().println(name + ": failed: " + ExitCodes.oneLine(e.getMessage()));
                }
            }
        }
        return failed ? Keyward.CA_ERROR : Keyward.OK;
    }
}
