package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every command needs: the CA's directory URL and trust, a local Pebble when
 * {@code --pebble} asks for one, and the account key.
 */
final class Environment implements AutoCloseable {
    private final URI directoryUrl;
    private final List<X509Certificate> trust;
    private final PebbleServer pebble;
    private final Optional<Path> accountKeyFile;
    private final PrintStream err;

    private Environment(URI directoryUrl, List<X509Certificate> trust, PebbleServer pebble,
                        Optional<Path> accountKeyFile, PrintStream err) {
        this.directoryUrl = directoryUrl;
        this.trust = trust;
        this.pebble = pebble;
        this.accountKeyFile = accountKeyFile;
        this.err = err;
    }

    static Environment open(Args args, PrintStream err) throws UsageException, ConfigException {
        return open(args, err, args.flag("--pebble"));
    }

    static Environment open(Args args, PrintStream err, boolean startPebble) throws UsageException, ConfigException {
        Optional<String> directory = args.value("--directory");
        Optional<Path> accountKey = args.value("--account-key").map(Path::of);
        List<X509Certificate> trust = new ArrayList<>();
        Optional<String> trustFile = args.value("--trust");
        if (trustFile.isPresent()) {
            trust.addAll(TrustFiles.read(Path.of(trustFile.get())));
        }
        if (startPebble) {
            if (directory.isPresent()) {
                throw new UsageException("give --directory or --pebble, not both");
            }
            PebbleServer pebble;
            try {
                pebble = PebbleServer.builder().build().start();
            } catch (RuntimeException e) {
                throw new ConfigException("cannot start Pebble: " + e.getMessage(), e);
            }
            err.println("Started Pebble at " + pebble.directoryUri());
            trust.addAll(pebble.trustAnchors());
            return new Environment(pebble.directoryUri(), trust, pebble, accountKey, err);
        }
        URI url = Commands.uri(directory.orElseThrow(() ->
                new UsageException("give --directory URL of the CA, or --pebble for a local test CA")), "--directory");
        return new Environment(url, trust, null, accountKey, err);
    }

    URI directoryUrl() {
        return directoryUrl;
    }

    Optional<PebbleServer> pebble() {
        return Optional.ofNullable(pebble);
    }

    AcmeClient client() {
        return AcmeClient.builder(directoryUrl).trustAnchors(trust).build();
    }

    /**
     * The account key from {@code --account-key}, created (EC P-256) when the file does not exist;
     * without the option, a fresh key that lives only as long as this run.
     */
    AcmeSigner accountKey() throws ConfigException {
        KeyPair pair;
        if (accountKeyFile.isEmpty()) {
            err.println("No --account-key given: using a new account key for this run only");
            pair = KeyType.EC_P256.generate();
        } else if (Files.exists(accountKeyFile.get())) {
            pair = KeyFiles.read(accountKeyFile.get());
        } else {
            pair = KeyType.EC_P256.generate();
            KeyFiles.write(accountKeyFile.get(), pair);
            err.println("Created account key " + accountKeyFile.get());
        }
        try {
            return Signers.jca(pair.getPrivate(), pair.getPublic());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unusable account key: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (pebble != null) {
            pebble.close();
        }
    }
}
