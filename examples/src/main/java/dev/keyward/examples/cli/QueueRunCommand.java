package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.jdbc.CsrQueue;
import dev.keyward.acme.jdbc.CsrState;
import dev.keyward.acme.jdbc.CsrSubmission;
import dev.keyward.acme.jdbc.QueueRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code queue run}: workers that issue the queue's rows for {@code --directory} with the account
 * of {@code --account-key}, answering challenges as {@code issue} does. With {@code --until-empty}
 * it exits when no row is pending or in flight, 0 even if some failed (failures are recorded).
 * {@code --timeout} is the deadline of each issuance here, not of the command.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Issue the queued CSRs of --directory with --workers workers.")
final class QueueRunCommand extends CliCommand {
    @Mixin
    QueueDatabase database;

    @Option(names = "--workers", paramLabel = "N", description = "worker threads, 1-64 (default 1)")
    Integer workers;

    @Option(names = "--until-empty", description = "exit when no row is pending or in flight")
    boolean untilEmpty;

    @Option(names = "--max-attempts", paramLabel = "N", description = "attempts before a row fails, 1-100 (default 5)")
    Integer maxAttempts;

    @Option(names = "--lease", paramLabel = "SECONDS", description = "a worker's lease on a row, 2-3600 (default 60)")
    Integer leaseSeconds;

    @Option(names = "--account-name", paramLabel = "NAME", defaultValue = CsrSubmission.DEFAULT_ACCOUNT,
            description = "serve the rows submitted with this account name (default ${DEFAULT-VALUE})")
    String accountName;

    @Option(names = "--allow-domain", paramLabel = "DOMAIN", description = "issue only names under this domain; repeat")
    List<String> allowedDomains;

    @Option(names = "--challenge", paramLabel = "TYPE", converter = ChallengeType.Converter.class,
            description = "a challenge type to answer, in order of preference; repeat")
    List<ChallengeType> challenges = new java.util.ArrayList<>();

    @Option(names = "--http01-port", paramLabel = "PORT", description = "answer http-01 on this port")
    Integer http01Port;

    @Option(names = "--tlsalpn01-port", paramLabel = "PORT", description = "answer tls-alpn-01 on this port")
    Integer tlsAlpn01Port;

    @Option(names = "--dns01-challtestsrv", paramLabel = "URL",
            description = "answer DNS challenges through this pebble-challtestsrv management URL")
    String dns01Challtestsrv;

    @Override
    public Integer call() throws Exception {
        Solvers.Options challengeOptions = new Solvers.Options(challenges,
                http01Port == null ? null : GlobalOptions.within("--http01-port", http01Port, 0, 1, 65535),
                tlsAlpn01Port == null ? null : GlobalOptions.within("--tlsalpn01-port", tlsAlpn01Port, 0, 1, 65535),
                dns01Challtestsrv);
        List<ChallengeType> plan = Solvers.plan(challengeOptions, global().pebble);
        int threads = GlobalOptions.within("--workers", workers, 1, 1, 64);
        int attempts = GlobalOptions.within("--max-attempts", maxAttempts, 5, 1, 100);
        int lease = GlobalOptions.within("--lease", leaseSeconds, 60, 2, 3600);
        try (Environment env = Environment.open(global(), err());
             CsrQueue queue = database.open(allowedDomains);
             AcmeClient client = env.client()) {
            List<ChallengeSolver> solvers = Solvers.open(env, plan, challengeOptions);
            Account account = new AccountRegistrar(client, env, err()).register(env.accountKey(), List.of(), Optional.empty());
            QueueRunner.Builder builder = QueueRunner.builder(queue, account, env.directoryUrl());
            for (int i = 0; i < plan.size(); i++) {
                builder.solver(plan.get(i).label, solvers.get(i));
            }
            QueueRunner runner = builder
                    .accountName(accountName).workers(threads).maxAttempts(attempts).lease(Duration.ofSeconds(lease))
                    .issuanceDeadline(global().timeout()).build();
            err().println("Running " + threads + " worker(s) on the queue for " + env.directoryUrl());
            if (untilEmpty) {
                runner.runUntilEmpty();
            } else {
                runner.run();
            }
            Map<CsrState, Long> counts = queue.counts();
            err().println("Queue: " + counts.get(CsrState.ISSUED) + " issued, " + counts.get(CsrState.FAILED) + " failed, "
                    + counts.get(CsrState.PENDING) + " pending, " + counts.get(CsrState.IN_FLIGHT) + " in flight");
            return Keyward.OK;
        }
    }
}
