package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.RetryPolicy;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

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
    private final Duration timeout;
    private final Duration requestTimeout;
    private boolean allowHttp;

    private Environment(URI directoryUrl, List<X509Certificate> trust, PebbleServer pebble,
                        Optional<String> accountKeySpec, PrintStream err, Duration timeout, Duration requestTimeout) {
        this.directoryUrl = directoryUrl;
        this.trust = trust;
        this.pebble = pebble;
        this.accountKeySpec = accountKeySpec;
        this.err = err;
        this.timeout = timeout;
        this.requestTimeout = requestTimeout;
    }

    static Environment open(Args args, PrintStream err) throws UsageException, ConfigException {
        return open(args, err, args.flag("--pebble"));
    }

    static Environment open(Args args, PrintStream err, boolean startPebble) throws UsageException, ConfigException {
        Optional<String> directory = args.value("--directory");
        Duration timeout = Duration.ofSeconds(args.intValue("--timeout", 1, 3600).orElse(90));
        Duration requestTimeout = Duration.ofSeconds(args.intValue("--request-timeout", 1, 600).orElse(10));
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
            return new Environment(pebble.directoryUri(), trust, pebble, accountKey, err, timeout, requestTimeout);
        }
        URI url = Commands.uri(directory.orElseThrow(() ->
                new UsageException("give --directory URL of the CA, or --pebble for a local test CA")), "--directory");
        if (url.getScheme().equalsIgnoreCase("http") && !args.flag("--insecure-http")) {
            throw new UsageException("the directory URL is not https; add --insecure-http only for a local test server");
        }
        Environment env = new Environment(url, trust, null, accountKey, err, timeout, requestTimeout);
        env.allowHttp = args.flag("--insecure-http");
        return env;
    }

    URI directoryUrl() {
        return directoryUrl;
    }

    Optional<PebbleServer> pebble() {
        return Optional.ofNullable(pebble);
    }

    /**
     * A client whose every request ends within {@code --request-timeout} (default 10 s), retrying
     * a safe request once; the command's own {@link Deadline} retries steps beyond that.
     */
    AcmeClient client() {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Math.min(requestTimeout.toMillis(), 5000), TimeUnit.MILLISECONDS)
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .callTimeout(requestTimeout)
                .followRedirects(false)
                .build();
        return AcmeClient.builder(directoryUrl).trustAnchors(trust).httpClient(http).allowPlainHttp(allowHttp)
                .retryPolicy(RetryPolicy.builder().maxRetries(1).build()).build();
    }

    /** The deadline of the whole command, from {@code --timeout} (default 90 s). */
    Deadline deadline() {
        return new Deadline(timeout, err);
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
