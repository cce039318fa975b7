package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNetworkException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeTimeoutException;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.RenewalInfo;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code issue}: checks every input, registers (or finds) the account, runs the library's issuance
 * flow ({@link Account#issue}) with the chosen challenges ({@link Solvers}), and writes {@code cert.pem},
 * {@code chain.pem}, {@code key.pem} (a new key for every certificate unless {@code --reuse-key}) and
 * the {@code .keyward} record of the CA as a new version switched in at once ({@link OutputFiles}).
 * The issuance is recorded in {@code --out} before the order is created ({@link PendingOrder}), so a
 * run killed at any point is resumed by the next one: the same order, the same key.
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

    /** The certificate key: the caller's, a new one of a type (default ec-p256), or the current one of --out. */
    static final class KeyChoice {
        @Option(names = "--key", paramLabel = "KEY", description = "the certificate key: a PEM file, pkcs11: URI or kms:KEY")
        String spec;

        @Option(names = "--key-type", paramLabel = "TYPE", converter = KeyType.Converter.class,
                description = "the type of a generated key: ec-p256 (default), ec-p384, rsa-2048")
        KeyType type;

        @Option(names = "--reuse-key", description = "certify the key of key.pem in --out again; by default every"
                + " certificate gets a new key (the old one stays in its archived version)")
        boolean reuse;
    }

    @Override
    public Integer call() throws Exception {
        if (ephemeralAccount && global().accountKey != null) {
            throw new UsageException("give --account-key or --ephemeral-account, not both");
        }
        if (ephemeralAccount && global().accountName != null) {
            throw new UsageException("give --account or --ephemeral-account, not both");
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
        List<Identifier> identifiers = identifiers();
        String keySpec = key == null ? null : key.spec;
        boolean reuseKey = key != null && key.reuse;
        if (keySpec != null) {
            Keys.requireDistinct(keySpec, "--key", global().accountKey);
        }
        if (reuseKey) {
            Keys.requireDistinct(out.resolve(OutputFiles.KEY).toString(), "--reuse-key (" + out.resolve(OutputFiles.KEY)
                    + ")", global().accountKey);
        }
        Optional<X509Certificate> replaced = replaces == null ? Optional.empty()
                : Optional.of(CertificateFiles.leaf(replaces, "--replaces"));
        try (Environment env = Environment.open(global(), err())) {
            OutputFiles files = OutputFiles.open(out, err());
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
            Optional<PendingOrder> pending = PendingOrder.read(out);
            if (pending.isPresent() && !pending.get().isFor(env.directoryUrl(), identifiers)) {
                err().println("Discarding the interrupted issuance recorded in " + out.resolve(PendingOrder.DIRECTORY)
                        + ": it was for " + ExitCodes.escape(pending.get().identifiers()) + " or another CA");
                PendingOrder.clear(out);
                pending = Optional.empty();
            }
            Keys keys = env.keys();
            AcmeSigner certificateSigner;
            Optional<KeyPair> keyToWrite;
            if (keySpec != null) {
                certificateSigner = keys.certificateKey(Optional.of(keySpec), KeyType.EC_P256).signer;
                keyToWrite = Optional.empty();
            } else if (reuseKey && files.currentKey().isPresent()) {
                keyToWrite = files.currentKey();
                certificateSigner = Keys.signer(keyToWrite.get());
                err().println("Reusing the key of " + out.resolve(OutputFiles.KEY) + " (--reuse-key)");
            } else if (pending.isPresent() && pending.get().key().isPresent()) {
                keyToWrite = pending.get().key();
                certificateSigner = Keys.signer(keyToWrite.get());
            } else {
                if (reuseKey) {
                    err().println("No key.pem in " + out + " to reuse: generating a new key");
                }
                keyToWrite = Optional.of((key == null || key.type == null ? KeyType.EC_P256 : key.type).generate());
                certificateSigner = Keys.signer(keyToWrite.get());
            }
            if (pending.isPresent() && !pending.get().keyId().equals(PendingOrder.keyId(certificateSigner.publicKey()))) {
                err().println("Discarding the interrupted issuance recorded in " + out.resolve(PendingOrder.DIRECTORY)
                        + ": it was for another certificate key");
                PendingOrder.clear(out);
                pending = Optional.empty();
            }
            PendingOrder[] record = {pending.isPresent() ? pending.get()
                    : PendingOrder.start(out, env.directoryUrl(), identifiers, certificateSigner.publicKey(), keyToWrite)};
            boolean resumed = false;
            boolean[] finalizing = {false};
            try (AcmeClient client = env.client()) {
                List<ChallengeSolver> solvers = Solvers.open(env, plan, challengeOptions);
                AcmeSigner accountKey = ephemeralAccount ? Keys.ephemeral() : env.accountKey();
                Account account = new AccountRegistrar(client, env, err()).register(accountKey, List.of(),
                        EabOptions.of(eab));
                if (record[0].order().isPresent()) {
                    resumed = resumable(account, record[0].order().get());
                    if (resumed) {
                        request.resumeOrder(record[0].order().get());
                    } else {
                        record[0] = record[0].withoutOrder();
                    }
                }
                IssueProgress progress = new IssueProgress(err(), order -> {
                    if (!order.url().equals(record[0].order().orElse(null))) {
                        try {
                            record[0] = record[0].withOrder(order.url());
                        } catch (ConfigException e) {
                            err().println("Warning: " + ExitCodes.oneLine(e.getMessage()) + "; a rerun cannot resume");
                        }
                    }
                    TestPause.at("after-new-order", err());
                }, () -> {
                    finalizing[0] = true;
                    TestPause.at("before-finalize", err());
                });
                IssuanceResult result = account.issue(request.certificateKey(certificateSigner).solvers(solvers)
                        .listener(progress).deadline(env.timeLeft("the issuance")).build());
                TestPause.at("after-download", err());
                if (preferredChain != null && !result.chain().chainsTo(preferredChain)) {
                    err().println("The CA offers no chain to " + ExitCodes.escape(preferredChain)
                            + "; writing its default chain");
                }
                files.commit(result.chain(), keyToWrite, env.directoryUrl(), out());
                PendingOrder.clear(out);
                if (deactivateAuthorizations && !progress.deactivationFailed()) {
                    err().println("Deactivated the order's authorizations");
                }
                if (ephemeralAccount) {
                    account.deactivate();
                    err().println("Deactivated the ephemeral account " + ExitCodes.escape(account.url().toString()));
                }
                return Keyward.OK;
            } catch (AcmeNetworkException | AcmeTimeoutException | InterruptedException e) {
                // Kept: the next run resumes the order (or starts it) with the same key.
                throw e;
            } catch (Exception e) {
                if (!resumed && !finalizing[0]) {
                    // Refused before a certificate could exist: nothing to resume, no key to keep.
                    PendingOrder.clear(out);
                }
                throw e;
            }
        }
    }

    /** Whether the recorded order can be taken up again; says why not otherwise. */
    private boolean resumable(Account account, URI url) throws AcmeException {
        if (ephemeralAccount) {
            err().println("Not resuming the interrupted order " + ExitCodes.escape(url.toString())
                    + ": it belongs to another account");
            return false;
        }
        try {
            Order order = account.fetchOrder(url);
            switch (order.status()) {
                case PENDING:
                case READY:
                case PROCESSING:
                case VALID:
                    err().println("Resuming the interrupted order " + ExitCodes.escape(url.toString()) + " ("
                            + ExitCodes.escape(order.rawStatus()) + ")");
                    return true;
                default:
                    err().println("The interrupted order " + ExitCodes.escape(url.toString()) + " is "
                            + ExitCodes.escape(order.rawStatus()) + ": creating a new one");
                    return false;
            }
        } catch (AcmeServerException | IllegalArgumentException e) {
            err().println("The interrupted order " + ExitCodes.escape(url.toString()) + " cannot be resumed ("
                    + ExitCodes.oneLine(e.getMessage()) + "): creating a new one");
            return false;
        }
    }

    /** The identifiers asked for, as the request holds them (checked already by {@link #request()}). */
    private List<Identifier> identifiers() {
        List<Identifier> ids = new ArrayList<>();
        domains.forEach(d -> ids.add(Identifier.dns(d)));
        ipAddresses.forEach(a -> ids.add(Identifier.ip(a)));
        return ids;
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
