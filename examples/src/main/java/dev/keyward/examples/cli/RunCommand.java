package dev.keyward.examples.cli;

import dev.keyward.acme.manager.CertificateManager;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run --config FILE}: keeps the config file's certificate sets issued and renewed until
 * SIGTERM or SIGINT. acme-manager's {@link CertificateManager} with its background thread: it issues
 * what is missing at start, asks the CA for renewal information (RFC 9773) again at its
 * {@code Retry-After} (or every {@code renewal-info-interval}), renews inside the window, retries
 * failures with backoff, and resumes an order left by a crash. After each issuance the files are
 * written atomically and the deploy hook runs ({@link Deployment}). The client's http-01 and
 * tls-alpn-01 servers stay bound while it runs. On SIGTERM it closes the manager and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Keep the config file's certificates issued and renewed until SIGTERM.",
        footer = {"Writes cert.pem, chain.pem and key.pem into each set's out directory after every issuance,",
                "then runs its hook with KEYWARD_SET, KEYWARD_CERT, KEYWARD_CHAIN, KEYWARD_KEY, KEYWARD_OUT.",
                "Exit codes: 0 stopped by SIGTERM or SIGINT; 2 a bad config file; 3 local errors."})
final class RunCommand extends CliCommand {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the YAML config file")
    Path config;

    @Override
    public Integer call() throws Exception {
        ManagerConfig parsed = ManagerConfig.read(config);
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install(stop::countDown);
        Deployment deployment = new Deployment(parsed, err(), true, false);
        try (ManagedSets sets = ManagedSets.open(parsed, AccountNames.root(global()), deployment, true, true, err())) {
            err().println("keyward run: keeping " + String.join(", ", sets.manager().setNames()) + "; state in "
                    + parsed.state() + "; stop with SIGTERM");
            sets.manager().start();
            stop.await();
            err().println("keyward run: stopping");
        }
        return Keyward.OK;
    }
}
