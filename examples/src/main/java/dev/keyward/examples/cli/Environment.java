package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeTimeoutException;
import dev.keyward.acme.RetryPolicy;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * What every command needs: the CA's directory URL and trust, a local Pebble when
 * {@code --pebble} asks for one, the account key, the command's deadline on one clock, and the
 * resources the command opens ({@link OpenedResources}), all closed with it.
 */
final class Environment implements AutoCloseable {
    private final URI directoryUrl;
    private final List<X509Certificate> trust;
    private final PebbleServer pebble;
    private final GlobalOptions options;
    private final PrintStream err;
    private final AcmeClock clock = AcmeClock.system();
    private final Instant deadline;
    private final Duration requestTimeout;
    private final OpenedResources resources = new OpenedResources();
    private OkHttpClient http;

    private Environment(URI directoryUrl, List<X509Certificate> trust, PebbleServer pebble, GlobalOptions options,
                        PrintStream err) throws UsageException {
        this.directoryUrl = directoryUrl;
        this.trust = trust;
        this.pebble = pebble;
        this.options = options;
        this.err = err;
        this.deadline = clock.now().plus(options.timeout());
        this.requestTimeout = options.requestTimeout();
    }

    static Environment open(GlobalOptions options, PrintStream err) throws UsageException, ConfigException {
        return open(options, err, options.pebble);
    }

    static Environment open(GlobalOptions options, PrintStream err, boolean startPebble)
            throws UsageException, ConfigException {
        AccountNames.resolve(options);
        options.timeout();
        options.requestTimeout();
        List<X509Certificate> trust = new ArrayList<>();
        if (options.trust != null) {
            trust.addAll(TrustFiles.read(options.trust));
        }
        if (startPebble) {
            if (options.directory != null) {
                throw new UsageException("give --directory or --pebble, not both");
            }
            PebbleServer pebble;
            try {
                pebble = PebbleServer.builder().build().start();
            } catch (RuntimeException e) {
                throw new ConfigException("cannot start Pebble: " + e.getMessage(), e);
            } catch (NoClassDefFoundError e) {
                // The shaded keyward.jar leaves the test kit out: a local Pebble is for the build's class path.
                throw new ConfigException("--pebble and demo start a local Pebble through the test kit, which"
                        + " keyward.jar does not carry; give --directory URL --trust FILE of a running CA"
                        + " (scripts/demo.sh shows it against a Pebble it starts)", e);
            }
            err.println("Started Pebble at " + pebble.directoryUri());
            trust.addAll(pebble.trustAnchors());
            return new Environment(pebble.directoryUri(), trust, pebble, options, err);
        }
        if (options.directory == null) {
            throw new UsageException("give --directory URL of the CA, or --pebble for a local test CA");
        }
        URI url = uri(options.directory, "--directory");
        if (url.getScheme().equalsIgnoreCase("http") && !options.insecureHttp) {
            throw new UsageException("the directory URL is not https; add --insecure-http only for a local test server");
        }
        return new Environment(url, trust, null, options, err);
    }

    URI directoryUrl() {
        return directoryUrl;
    }

    Optional<PebbleServer> pebble() {
        return Optional.ofNullable(pebble);
    }

    /**
     * A client on this command's clock whose every request ends within {@code --request-timeout}
     * (default 10 s), retrying a safe request once; the issuance flow retries its steps beyond that.
     */
    AcmeClient client() {
        if (http == null) {
            // Keyward's defaults (TCP_NODELAY sockets, no redirects) with the command's timeouts; one
            // client per command, so that close() can end its connections before the JVM exits.
            http = AcmeClient.defaultHttpClient()
                    .connectTimeout(Math.min(requestTimeout.toMillis(), 5000), TimeUnit.MILLISECONDS)
                    .readTimeout(requestTimeout)
                    .writeTimeout(requestTimeout)
                    .callTimeout(requestTimeout)
                    .build();
        }
        return AcmeClient.builder(directoryUrl).trustAnchors(trust).httpClient(http).allowPlainHttp(options.insecureHttp)
                .clock(clock).retryPolicy(RetryPolicy.builder().maxRetries(1).build()).build();
    }

    /** The clock the client runs on: deadlines and pauses of the command use it too. */
    AcmeClock clock() {
        return clock;
    }

    /** The end of the whole command, from {@code --timeout} (default 90 s). */
    Instant deadline() {
        return deadline;
    }

    /** The time left before the command's deadline; a timeout once it has passed. */
    Duration timeLeft(String what) throws AcmeTimeoutException {
        Duration left = Duration.between(clock.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AcmeTimeoutException("--timeout passed before " + what, Status.UNKNOWN);
        }
        return left;
    }

    /** What this command opened, closed with it. */
    OpenedResources resources() {
        return resources;
    }

    /** Key options turned into signers; what they open is closed with this command. */
    Keys keys() {
        return new Keys(resources, err);
    }

    /** The account key from {@code --account-key}; see {@link Keys#accountKey}. */
    AcmeSigner accountKey() throws ConfigException, UsageException {
        return keys().accountKey(Optional.ofNullable(options.accountKey));
    }

    /** The key of an existing account from {@code --account-key}; see {@link Keys#existingAccountKey}. */
    AcmeSigner existingAccountKey() throws UsageException, ConfigException {
        return keys().existingAccountKey(Optional.ofNullable(options.accountKey));
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

    @Override
    public void close() {
        if (http != null) {
            // An open connection's reader thread sits in a native socket read, and the JVM's exit
            // waits up to 300 ms for threads in native code: close the connections first.
            http.connectionPool().evictAll();
            http.dispatcher().executorService().shutdown();
        }
        resources.close();
        if (pebble != null) {
            pebble.close();
        }
    }
}
