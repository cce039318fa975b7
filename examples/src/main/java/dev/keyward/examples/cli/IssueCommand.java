package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.RenewalInfo;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code issue}: registers (or finds) the account, runs the library's issuance flow
 * ({@link Account#issue}) with the chosen challenges ({@link Solvers}), and writes {@code cert.pem},
 * {@code chain.pem}, a generated {@code key.pem} and the {@code .keyward} record of the CA
 * atomically ({@link OutputFiles}).
 *
 * <p>{@code replaces} (RFC 9773): the certificate of {@code --replaces FILE}; else, when
 * {@code --out} holds a {@code cert.pem} that {@code .keyward} says this CA (the same directory URL)
 * issued, that one. The library sends the order again without it when the CA refuses it.
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Issue a certificate and write cert.pem, chain.pem and (for a generated key) key.pem.",
        footer = {"Challenges: --challenge TYPE (repeatable, in order of preference) picks the types; each takes",
                "what it needs from its option: http-01 --http01-port, tls-alpn-01 --tlsalpn01-port, dns-01,",
                "dns-account-01 and dns-persist-01 --dns01-challtestsrv. Without --challenge the options given",
                "decide, in the order http-01, tls-alpn-01, dns-01 (--http01-port and --dns01-challtestsrv then",
                "exclude each other). Renewing into an --out whose cert.pem this CA issued sends replaces."})
final class IssueCommand extends CliCommand {
    @Option(names = {"-d", "--domain"}, paramLabel = "NAME",
            description = "a name to certify; repeat for more; *.NAME for a wildcard (a DNS challenge only)")
    List<String> domains = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDR",
            description = "an IP address to certify (RFC 8738); repeat for more; http-01 or tls-alpn-01")
    List<String> ipAddresses = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the files go")
    Path out;

    @Option(names = "--challenge", paramLabel = "TYPE", converter = ChallengeType.Converter.class,
            description = "a challenge type to answer, repeat in order of preference: http-01, tls-alpn-01,"
                    + " dns-01, dns-account-01, dns-persist-01")
    List<ChallengeType> challenges = new ArrayList<>();

    @Option(names = "--http01-port", paramLabel = "PORT", description = "answer http-01 on this port")
    Integer http01Port;

    @Option(names = "--tlsalpn01-port", paramLabel = "PORT", description = "answer tls-alpn-01 on this port")
    Integer tlsAlpn01Port;

    @Option(names = "--dns01-challtestsrv", paramLabel = "URL",
            description = "publish DNS challenge records through this pebble-challtestsrv management URL")
    String dns01Challtestsrv;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "the certificate profile to ask for; one the CA lists (see 'keyward ca info')")
    String profile;

    @Option(names = "--replaces", paramLabel = "CERT_FILE",
            description = "the PEM certificate the new one replaces (RFC 9773); default: cert.pem in --out"
                    + " when this CA issued it")
    Path replaces;

    @Option(names = "--preferred-chain", paramLabel = "NAME",
            description = "prefer the chain whose root or top intermediate has this common name")
    String preferredChain;

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
        if (domains.isEmpty() && ipAddresses.isEmpty()) {
            throw new UsageException("issue needs -d NAME or --ip ADDR");
        }
        Solvers.Options challengeOptions = new Solvers.Options(challenges,
                http01Port == null ? null : GlobalOptions.within("--http01-port", http01Port, 0, 1, 65535),
                tlsAlpn01Port == null ? null : GlobalOptions.within("--tlsalpn01-port", tlsAlpn01Port, 0, 1, 65535),
                dns01Challtestsrv);
        List<ChallengeType> plan = Solvers.plan(challengeOptions, global().pebble);
        IssuanceRequest.Builder request = request();
        Optional<X509Certificate> replaced = replaces == null ? Optional.empty()
                : Optional.of(CertificateFiles.leaf(replaces, "--replaces"));
        try (Environment env = Environment.open(global(), err())) {
            if (replaced.isEmpty()) {
                replaced = OutputFiles.previousFromSameCa(out, env.directoryUrl());
            }
            if (replaced.isPresent()) {
                try {
                    request.replaces(replaced.get());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--replaces: " + e.getMessage(), e);
                }
                err().println("Replacing " + RenewalInfo.certificateId(replaced.get())
                        + (replaces == null ? " (" + out.resolve("cert.pem") + ", issued by this CA)" : ""));
            }
            Keys.CertificateKey certificateKey = env.keys().certificateKey(
                    Optional.ofNullable(key == null ? null : key.spec),
                    key == null || key.type == null ? KeyType.EC_P256 : key.type);
            try (OutputFiles files = OutputFiles.prepare(out, certificateKey.generated);
                 AcmeClient client = env.client()) {
                List<ChallengeSolver> solvers = Solvers.open(env, plan, challengeOptions);
                AcmeSigner accountKey = ephemeralAccount ? Keys.ephemeral() : env.accountKey();
                Account account = new AccountRegistrar(client, env, err()).register(accountKey, List.of(),
                        EabOptions.of(eab));
                IssueProgress progress = new IssueProgress(err(), files::issued);
                IssuanceResult result = account.issue(request.certificateKey(certificateKey.signer).solvers(solvers)
                        .listener(progress).deadline(env.timeLeft("the issuance")).build());
                if (preferredChain != null && !result.chain().chainsTo(preferredChain)) {
                    err().println("The CA offers no chain to " + ExitCodes.escape(preferredChain)
                            + "; writing its default chain");
                }
                files.commit(result.chain(), env.directoryUrl(), out());
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
            IssuanceRequest.Builder builder = IssuanceRequest.builder().domains(domains)
                    .ipAddresses(ipAddresses.toArray(new String[0]))
                    .deactivateAuthorizations(deactivateAuthorizations);
            if (profile != null) {
                builder.profile(profile);
            }
            if (preferredChain != null) {
                builder.preferredChain(preferredChain);
            }
            return builder;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The quoted {@code --profile} of an {@code issue} command line, for a refusal's message. */
    static String profileOf(CommandLine command) {
        Object user = command.getCommand();
        String name = user instanceof IssueCommand ? ((IssueCommand) user).profile : null;
        return name == null ? "(none asked for)" : "'" + ExitCodes.escape(name) + "'";
    }
}
