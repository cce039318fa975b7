package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.testkit.ChallengeTestServer;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Dispatches the commands, and runs {@code account register} and {@code issue}. */
final class Commands {
    private Commands() {
    }

    static int dispatch(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException, InterruptedException {
        List<String> words = args.words();
        if (words.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = words.size() >= 2 ? words.get(0) + " " + words.get(1) : words.get(0);
        List<String> rest = words.subList(Math.min(words.size(), command.contains(" ") ? 2 : 1), words.size());
        if (!rest.isEmpty() && !command.equals("authz deactivate")) {
            throw new UsageException("unexpected arguments after " + command + ": " + String.join(" ", rest));
        }
        switch (command) {
            case "account register":
                return accountRegister(args, out, err);
            case "account show":
                return AccountCommands.show(args, out, err);
            case "account deactivate":
                return AccountCommands.deactivate(args, out, err);
            case "account rollover":
                return AccountCommands.rollover(args, out, err);
            case "account orders":
                return AccountCommands.orders(args, out, err);
            case "account contain":
                return AccountCommands.contain(args, out, err);
            case "authz deactivate":
                return AuthzCommands.deactivate(args, rest, out, err);
            case "issue":
                return issue(args, out, err);
            case "revoke":
                return RevokeCommand.run(args, out, err);
            case "demo":
                return Demo.run(args, out, err);
            default:
                throw new UsageException("unknown command: " + String.join(" ", words));
        }
    }

    private static int accountRegister(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException, InterruptedException {
        try (Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            AcmeSigner accountKey = env.accountKey();
            Account account = new Issuance(client, err, env.deadline()).account(accountKey, contacts(args), eab(args));
            out.println(account.url());
            err.println("status: " + account.rawStatus() + (account.contacts().isEmpty() ? ""
                    : ", contacts: " + String.join(", ", account.contacts())));
            return Keyward.OK;
        }
    }

    private static int issue(Args args, PrintStream out, PrintStream err)
            throws UsageException, ConfigException, AcmeException, InterruptedException {
        List<String> domains = args.values("--domain");
        if (domains.isEmpty()) {
            throw new UsageException("issue needs at least one -d NAME");
        }
        Path outDir = Path.of(args.value("--out").orElseThrow(() -> new UsageException("issue needs --out DIR")));
        Optional<Integer> httpPort = args.intValue("--http01-port", 1, 65535);
        Optional<String> challtestsrv = args.value("--dns01-challtestsrv");
        if (httpPort.isPresent() && challtestsrv.isPresent()) {
            throw new UsageException("give --http01-port or --dns01-challtestsrv, not both");
        }
        Optional<String> keyFile = args.value("--key");
        if (keyFile.isPresent() && args.value("--key-type").isPresent()) {
            throw new UsageException("give --key or --key-type, not both");
        }
        KeyType keyType = KeyType.parse(args.value("--key-type").orElse("ec-p256"));
        boolean ephemeral = args.flag("--ephemeral-account");
        if (ephemeral && args.value("--account-key").isPresent()) {
            throw new UsageException("give --account-key or --ephemeral-account, not both");
        }
        Keys.CertificateKey certificateKey = Keys.certificateKey(keyFile, keyType);
        try (OutputFiles files = OutputFiles.prepare(outDir, certificateKey.generated);
             Environment env = Environment.open(args, err); AcmeClient client = env.client()) {
            AcmeSigner accountKey = ephemeral ? Keys.ephemeral() : env.accountKey();
            try (ChallengeSolver solver = solver(env, httpPort, challtestsrv)) {
                Issuance issuance = new Issuance(client, err, env.deadline());
                Account account = issuance.account(accountKey, List.of(), eab(args));
                Issuance.Result result = issuance.issue(account, domains, solver, certificateKey.signer, files::issued);
                files.commit(result.chain, out);
                if (args.flag("--deactivate-authorizations")) {
                    result.order.deactivateAuthorizations();
                    err.println("Deactivated the order's authorizations");
                }
                if (ephemeral) {
                    account.deactivate();
                    err.println("Deactivated the ephemeral account " + account.url());
                }
            }
            return Keyward.OK;
        }
    }

    private static ChallengeSolver solver(Environment env, Optional<Integer> httpPort, Optional<String> challtestsrv)
            throws UsageException, ConfigException {
        if (challtestsrv.isPresent()) {
            return new Dns01Solver(ChallengeTestServer.of(uri(challtestsrv.get(), "--dns01-challtestsrv")));
        }
        Optional<PebbleServer> pebble = env.pebble();
        if (httpPort.isPresent()) {
            return Http01Solver.listen(new InetSocketAddress(bindAddressFor(env.directoryUrl()), httpPort.get()));
        }
        if (pebble.isPresent()) {
            return Http01Solver.using(pebble.get().http01Responder());
        }
        throw new UsageException("issue needs --http01-port PORT or --dns01-challtestsrv URL");
    }

    /** Loopback when the CA is on this machine (a test CA), every interface otherwise. */
    private static InetAddress bindAddressFor(URI directory) throws ConfigException {
        try {
            String host = directory.getHost();
            boolean local = host != null && (host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress());
            return local ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot resolve the CA host " + directory.getHost(), e);
        }
    }

    /** The External Account Binding of {@code --eab-kid} and {@code --eab-hmac-key}, both or neither. */
    static Optional<ExternalAccountBinding> eab(Args args) throws UsageException {
        Optional<String> kid = args.value("--eab-kid");
        Optional<String> key = args.value("--eab-hmac-key");
        if (kid.isPresent() != key.isPresent()) {
            throw new UsageException("give --eab-kid and --eab-hmac-key together");
        }
        if (kid.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExternalAccountBinding.of(kid.get(), key.get()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static List<String> contacts(Args args) throws UsageException {
        List<String> contacts = new ArrayList<>();
        for (String c : args.values("--contact")) {
            contacts.add(c.contains(":") ? c : "mailto:" + c);
        }
        return contacts;
    }

    static URI uri(String text, String option) throws UsageException {
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new UsageException(option + " needs an absolute URL, was: " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException(option + " is not a URL: " + text);
        }
    }

    static String describe(X509Certificate leaf) {
        return leaf.getSubjectX500Principal().getName();
    }
}
