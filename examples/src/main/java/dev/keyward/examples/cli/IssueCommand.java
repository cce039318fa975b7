package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code issue}: registers (or finds) the account, runs the library's issuance flow
 * ({@link Account#issue}) with the chosen challenge, and writes {@code cert.pem}, {@code chain.pem}
 * and a generated {@code key.pem} atomically ({@link OutputFiles}).
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Issue a certificate and write cert.pem, chain.pem and (for a generated key) key.pem.")
final class IssueCommand extends CliCommand {
    @Option(names = {"-d", "--domain"}, paramLabel = "NAME", required = true,
            description = "a name to certify; repeat for more; *.NAME for a wildcard (dns-01 only)")
    List<String> domains;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the files go")
    Path out;

    @ArgGroup(exclusive = true)
    ChallengeChoice challenge;

    @ArgGroup(exclusive = true)
    KeyChoice key;

    @Option(names = "--deactivate-authorizations",
            description = "deactivate the order's authorizations once the certificate is downloaded")
    boolean deactivateAuthorizations;

    @Option(names = "--ephemeral-account",
            description = "use a new account for this certificate only, deactivated afterwards")
    boolean ephemeralAccount;

    @ArgGroup(exclusive = false)
    EabOptions eab;

    /** How the names are proven: one of the two, or Pebble's own http-01 port with {@code --pebble}. */
    static final class ChallengeChoice {
        @Option(names = "--http01-port", paramLabel = "PORT", description = "answer http-01 on this port")
        Integer http01Port;

        @Option(names = "--dns01-challtestsrv", paramLabel = "URL",
                description = "answer dns-01 through this pebble-challtestsrv management URL")
        String dns01Challtestsrv;
    }

    /** The certificate key: the caller's, or a new one of a type (default ec-p256). */
    static final class KeyChoice {
        @Option(names = "--key", paramLabel = "KEY", description = "the certificate key: a PEM file, pkcs11: URI or kms:KEY")
        String spec;

        @Option(names = "--key-type", paramLabel = "TYPE", converter = KeyType.Converter.class,
                description = "the type of a generated key: ec-p256 (default), ec-p384, rsa-2048")
        KeyType type;
    }

    @Override
    public Integer call() throws Exception {
        if (ephemeralAccount && global().accountKey != null) {
            throw new UsageException("give --account-key or --ephemeral-account, not both");
        }
        if (challenge == null && !global().pebble) {
            throw new UsageException("issue needs --http01-port PORT or --dns01-challtestsrv URL");
        }
        Integer http01Port = challenge == null || challenge.http01Port == null ? null
                : GlobalOptions.within("--http01-port", challenge.http01Port, 0, 1, 65535);
        IssuanceRequest.Builder request = request();
        try (Environment env = Environment.open(global(), err())) {
            Keys.CertificateKey certificateKey = env.keys().certificateKey(
                    Optional.ofNullable(key == null ? null : key.spec),
                    key == null || key.type == null ? KeyType.EC_P256 : key.type);
            try (OutputFiles files = OutputFiles.prepare(out, certificateKey.generated);
                 AcmeClient client = env.client()) {
                ChallengeSolver solver = Solvers.choose(env, http01Port,
                        challenge == null ? null : challenge.dns01Challtestsrv);
                AcmeSigner accountKey = ephemeralAccount ? Keys.ephemeral() : env.accountKey();
                Account account = new AccountRegistrar(client, env, err()).register(accountKey, List.of(),
                        EabOptions.of(eab));
                IssueProgress progress = new IssueProgress(err(), files::issued);
                IssuanceResult result = account.issue(request.certificateKey(certificateKey.signer).solvers(solver)
                        .listener(progress).deadline(env.timeLeft("the issuance")).build());
                files.commit(result.chain(), out());
                if (deactivateAuthorizations && !progress.deactivationFailed()) {
                    err().println("Deactivated the order's authorizations");
                }
                if (ephemeralAccount) {
                    account.deactivate();
                    err().println("Deactivated the ephemeral account " + account.url());
                }
                return Keyward.OK;
            }
        }
    }

    /** The request's names and options, checked before anything is opened. */
    private IssuanceRequest.Builder request() throws UsageException {
        try {
            return IssuanceRequest.builder().domains(domains).deactivateAuthorizations(deactivateAuthorizations);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
