package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
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
    private final Optional<String> accountKeySpec;
    private final PrintStream err;

    private Environment(URI directoryUrl, List<X509Certificate> trust, PebbleServer pebble,
                        Optional<String> accountKeySpec, PrintStream err) {
        this.directoryUrl = directoryUrl;
        this.trust = trust;
        this.pebble = pebble;
        this.accountKeySpec = accountKeySpec;
        this.err = err;
    }

    static Environment open(Args args, PrintStream err) throws UsageException, ConfigException {
        return open(args, err, args.flag("--pebble"));
    }

    static Environment open(Args args, PrintStream err, boolean startPebble) throws UsageException, ConfigException {
        Optional<String> directory = args.value("--directory");
        Optional<String> accountKey = args.value("--account-key");
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

    /** The account key from {@code --account-key}; see {@link Keys#accountKey}. */
    AcmeSigner accountKey() throws ConfigException {
        return Keys.accountKey(accountKeySpec, err);
    }

    @Override
    public void close() {
        if (pebble != null) {
            pebble.close();
        }
    }
}
