package dev.keyward.acme.testkit;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A real Pebble ACME server (RFC 8555) and its mock DNS server {@code pebble-challtestsrv}, run as
 * child processes on loopback ports for integration tests.
 *
 * <pre>{@code
 * try (PebbleServer pebble = PebbleServer.builder().build().start()) {
 *     URI directory = pebble.directoryUri();          // https://127.0.0.1:<port>/dir
 *     SSLContext tls = pebble.sslContext();           // trusts only this run's CA
 *     pebble.http01Responder().serve(token, keyAuthorization);
 *     pebble.dns().setTxt("_acme-challenge.example.test", digest);
 * }
 * }</pre>
 *
 * <p>Each start picks free ports and generates fresh TLS material for Pebble's listeners, so runs
 * never share state. Every URL Pebble hands out uses {@code 127.0.0.1}, since Pebble builds them from
 * the request's {@code Host}; the listeners' certificate also covers {@code localhost} and {@code ::1}.
 * Pebble's validator resolves every name through challtestsrv, which answers A queries with 127.0.0.1
 * and AAAA queries with nothing, so http-01 and tls-alpn-01 validation connect to
 * {@link #http01Port()} and {@link #tlsAlpnPort()} on 127.0.0.1. No lookup leaves the machine.
 *
 * <p>Pebble reads its {@code PEBBLE_*} environment variables only from the {@link Builder}: any that
 * this JVM inherited are not passed on, so a developer's shell cannot change a test's behaviour.
 *
 * <p>The kit runs Pebble 2.10 (Debian's {@code pebble 2.10.0+ds1-2}: ARI, profiles, five challenge
 * types), which {@code bash scripts/ensure-tools.sh pebble} fetches into a cache folder. It looks for
 * the binaries there unless the builder names them or {@code KEYWARD_PEBBLE_HOME} names their folder
 * (see {@link Builder#pebbleBinary}). When they are missing, or what it finds by default is Debian
 * bookworm's Pebble 2.4, {@link #start()} fails with the command that fetches 2.10, and never skips.
 * Pebble 2.10 gives an order without a {@code profile} a random configured profile, so the kit
 * configures one unless a test names several ({@link Builder#profiles}). A server starts at most once; its
 * accessors throw {@link IllegalStateException} before {@link #start()} and after {@link #close()}.
 * Instances are thread-safe.
 */
public final class PebbleServer implements AutoCloseable {

    private final PebbleSettings settings;
    private final Object lock = new Object();
    private PebbleRun run;
    private boolean started;
    private boolean closed;

    private PebbleServer(PebbleSettings settings) {
        this.settings = settings;
    }

    /**
     * Returns a builder with every option at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this server's configuration, to configure a similar server.
     *
     * @return a new builder
     */
    public Builder newBuilder() {
        return new Builder(settings);
    }

    static PebbleServer of(PebbleSettings settings) {
        return new PebbleServer(settings);
    }

    /**
     * Starts challtestsrv and Pebble and returns once Pebble's directory answers over HTTPS (trusting
     * only the generated CA) and both management ports accept connections.
     *
     * @return this server
     * @throws IllegalStateException if a binary is missing or, found by default, is Pebble 2.4 (the
     *                               message says to run {@code bash scripts/ensure-tools.sh pebble}),
     *                               if a process exits during
     *                               startup or the {@linkplain Builder#startupTimeout startup timeout}
     *                               passes (the message carries the tail of the logs), or if this
     *                               server was started before, successfully or not
     * @throws java.io.UncheckedIOException if the work directory cannot be written
     */
    public PebbleServer start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("this PebbleServer was started before; build a new one");
            }
            started = true;
            run = PebbleRun.start(settings);
            return this;
        }
    }

    /**
     * Stops Pebble and challtestsrv and waits (at most about 10 seconds each) for them to exit, closes
     * the {@linkplain #http01Responder() http-01 responder} and deletes the work directory if it is a
     * temporary one. Does nothing when called again or before {@link #start()}.
     */
    @Override
    public void close() {
        PebbleRun toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = run;
            run = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /**
     * The ACME directory URL (RFC 8555 section 7.1.1), {@code https://127.0.0.1:<port>/dir}.
     *
     * @return the directory URL
     */
    public URI directoryUri() {
        return run().directoryUri();
    }

    /**
     * The trust anchors of Pebble's HTTPS listeners: one CA certificate generated for this run. A
     * client must trust it, and nothing else is needed.
     *
     * @return a list holding the CA certificate
     */
    public List<X509Certificate> trustAnchors() {
        return List.of(run().tls().caCertificate());
    }

    /**
     * A PEM file holding the {@linkplain #trustAnchors() trust anchor}, for example for a CLI {@code --trust}.
     *
     * @return the path of {@code ca.pem} in the work directory
     */
    public Path trustAnchorPemFile() {
        return run().tls().caCertificateFile();
    }

    /**
     * A TLS context whose only trust anchor is this run's CA, for clients of the ACME and management ports.
     *
     * @return the TLS context, the same instance on every call
     */
    public SSLContext sslContext() {
        return run().trust().sslContext();
    }

    /**
     * A trust manager that trusts only this run's CA, for example for an OkHttp client.
     *
     * @return the trust manager
     */
    public X509TrustManager trustManager() {
        return run().trust().trustManager();
    }

    /**
     * The port on 127.0.0.1 to which Pebble's validator connects for http-01 (RFC 8555 section 8.3).
     *
     * @return the http-01 port
     */
    public int http01Port() {
        return run().ports().http01();
    }

    /**
     * The port on 127.0.0.1 to which Pebble's validator connects for tls-alpn-01 (RFC 8737).
     *
     * @return the tls-alpn-01 port
     */
    public int tlsAlpnPort() {
        return run().ports().tlsAlpn();
    }

    /**
     * The base URI of Pebble's management interface, {@code https://127.0.0.1:<port>/}.
     *
     * @return the management URI, ending with a slash
     */
    public URI managementUri() {
        return run().managementUri();
    }

    /**
     * The address of challtestsrv's DNS server (UDP and TCP), which Pebble's validator asks.
     *
     * @return 127.0.0.1 and the DNS port
     */
    public InetSocketAddress dnsAddress() {
        return new InetSocketAddress(LoopbackPorts.LOOPBACK, run().ports().dns());
    }

    /**
     * A client of challtestsrv's management API, to publish dns-01 TXT records and A records.
     *
     * @return the client, the same instance on every call
     */
    public ChallengeTestServer dns() {
        return run().dns();
    }

    /**
     * The responder that answers Pebble's http-01 validation on {@link #http01Port()}, started on the
     * first call and closed with this server.
     *
     * @return the responder, the same instance on every call
     * @throws java.io.UncheckedIOException if the port has been taken by another process meanwhile
     */
    public Http01Responder http01Responder() {
        return run().http01Responder();
    }

    /**
     * The folder holding this run's {@code pebble-config.json}, TLS material ({@code ca.pem},
     * {@code cert.pem}, {@code key.pem}) and logs ({@code pebble.log}, {@code pebble-challtestsrv.log}).
     *
     * @return the work directory
     */
    public Path workDirectory() {
        return run().workDirectory();
    }

    /**
     * Returns Pebble's record of the certificate with {@code serial}, the raw JSON of
     * {@code GET /cert-status-by-serial/<hex>} on the management port. Pebble (2.4 and 2.10) answers a flat,
     * indented object: {@code Status} ({@code "Valid"} or {@code "Revoked"}), {@code Serial} (lower-case
     * hex) and {@code Certificate} (the PEM); once revoked also {@code Reason} (the RFC 5280 reason
     * code, a number) and {@code RevokedAt} (Go's time format, such as
     * {@code "2026-11-22 22:36:22.270042747 +0000 UTC"}).
     *
     * @param serial the certificate's serial number
     * @return the status document
     * @throws java.util.NoSuchElementException if Pebble issued no certificate with that serial
     * @throws java.io.UncheckedIOException     if the management port cannot be read
     */
    public String certificateStatus(BigInteger serial) {
        return run().management().certificateStatus(Objects.requireNonNull(serial, "serial"));
    }

    /**
     * Whether Pebble has revoked the certificate with {@code serial} (RFC 8555 section 7.6).
     *
     * @param serial the certificate's serial number
     * @return true once revoked
     * @throws java.util.NoSuchElementException if Pebble issued no certificate with that serial
     * @throws java.io.UncheckedIOException     if the management port cannot be read
     */
    public boolean isRevoked(BigInteger serial) {
        return run().management().isRevoked(Objects.requireNonNull(serial, "serial"));
    }

    /**
     * Makes Pebble 2.10's ARI endpoint ({@code renewalInfo} in the directory) answer
     * {@code ariResponseJson} for {@code certificate} from now on, instead of its own window (the
     * last third of the lifetime, give or take 24 hours), through the management port's
     * {@code POST /set-renewal-info/}. Pebble passes the text on as it is, so a test can offer a
     * window in the past or the future, an {@code explanationURL}, or a body that is not JSON at all.
     *
     * @param certificate     a certificate this run issued
     * @param ariResponseJson the body {@code renewalInfo} answers, such as
     *                        {@code {"suggestedWindow": {"start": "...", "end": "..."}}}
     * @throws java.io.UncheckedIOException if the management port cannot be reached or refuses the body
     */
    public void setRenewalInfo(X509Certificate certificate, String ariResponseJson) {
        run().management().setRenewalInfo(Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(ariResponseJson, "ariResponseJson"));
    }

    /**
     * The root certificates Pebble generated for this run: the root of the default chain
     * ({@code /roots/0}) first, then one per {@linkplain Builder#alternateRoots alternate root}.
     *
     * @return the roots, at least one
     * @throws java.io.UncheckedIOException if the management port cannot be read
     */
    public List<X509Certificate> rootCertificates() {
        return run().management().certificates("roots", 1 + settings.alternateRoots());
    }

    /**
     * The intermediate certificates that issue leaves, one per chain in the order of
     * {@link #rootCertificates()} ({@code /intermediates/0} first). Pebble does not expose the extra
     * intermediates of a longer {@linkplain Builder#chainLength chain}.
     *
     * @return the issuing intermediates, at least one
     * @throws java.io.UncheckedIOException if the management port cannot be read
     */
    public List<X509Certificate> intermediateCertificates() {
        return run().management().certificates("intermediates", 1 + settings.alternateRoots());
    }

    private PebbleRun run() {
        synchronized (lock) {
            if (run == null) {
                throw new IllegalStateException(closed ? "this PebbleServer is closed" : "call start() first");
            }
            return run;
        }
    }

    /**
     * Configures a {@link PebbleServer}. Every setter validates its argument at once and throws
     * {@link IllegalArgumentException} (or {@link NullPointerException} for null) when it is invalid.
     * The defaults favour deterministic tests, and some differ from Pebble's own.
     */
    public static final class Builder {

        private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

        private int nonceRejectPercent;
        private int authorizationReusePercent = 50;
        private boolean vaNoSleep = true;
        private int ordersPerPage = 3;
        private OptionalInt chainLength = OptionalInt.empty();
        private int alternateRoots;
        private Map<String, String> externalAccountMacKeys = Map.of();
        private Optional<Duration> certificateValidity = Optional.empty();
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Optional<Path> pebbleBinary = Optional.empty();
        private Optional<Path> challtestsrvBinary = Optional.empty();
        private Optional<Path> workDirectory = Optional.empty();
        private Map<String, PebbleProfile> profiles = Map.of();
        private Optional<PebbleSettings.RetryAfter> retryAfter = Optional.empty();
        private List<String> domainBlocklist = List.of();

        private Builder() {
        }

        private Builder(PebbleSettings settings) {
            nonceRejectPercent = settings.nonceRejectPercent();
            authorizationReusePercent = settings.authorizationReusePercent();
            vaNoSleep = settings.vaNoSleep();
            ordersPerPage = settings.ordersPerPage();
            chainLength = settings.chainLength();
            alternateRoots = settings.alternateRoots();
            externalAccountMacKeys = settings.externalAccountMacKeys();
            certificateValidity = settings.certificateValidity();
            startupTimeout = settings.startupTimeout();
            pebbleBinary = settings.pebbleBinary();
            challtestsrvBinary = settings.challtestsrvBinary();
            workDirectory = settings.workDirectory();
            profiles = settings.profiles();
            retryAfter = settings.retryAfter();
            domainBlocklist = settings.domainBlocklist();
        }

        /**
         * The share of valid nonces that Pebble rejects with {@code badNonce} (RFC 8555 section 6.5),
         * from 0 to 100 ({@code PEBBLE_WFE_NONCEREJECT}). Default 0, for deterministic request counts
         * (Pebble's own default is 5); use 50 or so to stress a client's retry.
         *
         * @param percent the rejected share of nonces
         * @return this builder
         */
        public Builder nonceRejectPercent(int percent) {
            this.nonceRejectPercent = percent(percent, "nonceRejectPercent");
            return this;
        }

        /**
         * The share of new orders that reuse an identifier's valid authorization, from 0 to 100
         * ({@code PEBBLE_AUTHZREUSE}). Default 50, Pebble's own default, so the suite sees what real
         * CAs do: an order may find some of its authorizations valid already. A test that counts
         * requests or needs fresh challenges (a failing challenge, deactivation) sets 0; one that
         * needs reuse every time sets 100.
         *
         * @param percent the share of orders that reuse an authorization
         * @return this builder
         */
        public Builder authorizationReusePercent(int percent) {
            this.authorizationReusePercent = percent(percent, "authorizationReusePercent");
            return this;
        }

        /**
         * Whether the validator skips its random sleep of up to 5 seconds before each validation
         * ({@code PEBBLE_VA_NOSLEEP=1}). Default true.
         *
         * @param noSleep true to validate at once
         * @return this builder
         */
        public Builder vaNoSleep(boolean noSleep) {
            this.vaNoSleep = noSleep;
            return this;
        }

        /**
         * How many orders one page of an account's orders list holds (RFC 8555 section 7.1.2.1),
         * at least 1 ({@code PEBBLE_WFE_ORDERS_PER_PAGE}). Default 3.
         *
         * @param orders the page size
         * @return this builder
         */
        public Builder ordersPerPage(int orders) {
            if (orders < 1) {
                throw new IllegalArgumentException("ordersPerPage must be at least 1: " + orders);
            }
            this.ordersPerPage = orders;
            return this;
        }

        /**
         * How many intermediates stand between a leaf and its root, at least 1
         * ({@code PEBBLE_CHAIN_LENGTH}; Pebble panics on 0). Default: Pebble's own, 1.
         *
         * @param intermediates the number of intermediates
         * @return this builder
         */
        public Builder chainLength(int intermediates) {
            if (intermediates < 1) {
                throw new IllegalArgumentException("chainLength must be at least 1 intermediate: " + intermediates);
            }
            this.chainLength = OptionalInt.of(intermediates);
            return this;
        }

        /**
         * How many alternate chains, each to its own root, Pebble offers besides the default one
         * through {@code Link: rel="alternate"} (RFC 8555 section 7.4.2), at least 0
         * ({@code PEBBLE_ALTERNATE_ROOTS}). Default 0.
         *
         * @param roots the number of alternate chains
         * @return this builder
         */
        public Builder alternateRoots(int roots) {
            if (roots < 0) {
                throw new IllegalArgumentException("alternateRoots must not be negative: " + roots);
            }
            this.alternateRoots = roots;
            return this;
        }

        /**
         * Requires external account binding (RFC 8555 section 7.3.4) and sets the MAC keys Pebble
         * accepts ({@code externalAccountBindingRequired} and {@code externalAccountMACKeys}). Default:
         * not required.
         *
         * @param kidToBase64UrlMacKey at least one entry, from key identifier to the HMAC key in
         *                             unpadded base64url
         * @return this builder
         */
        public Builder externalAccountBinding(Map<String, String> kidToBase64UrlMacKey) {
            Objects.requireNonNull(kidToBase64UrlMacKey, "kidToBase64UrlMacKey");
            if (kidToBase64UrlMacKey.isEmpty()) {
                throw new IllegalArgumentException("external account binding needs at least one MAC key");
            }
            Map<String, String> keys = new LinkedHashMap<>();
            kidToBase64UrlMacKey.forEach((kid, key) -> {
                if (kid == null || kid.isBlank()) {
                    throw new IllegalArgumentException("a key identifier must not be blank");
                }
                if (key == null || !BASE64URL.matcher(key).matches() || !decodes(key)) {
                    throw new IllegalArgumentException("the MAC key of " + kid + " is not unpadded base64url");
                }
                keys.put(kid, key);
            });
            this.externalAccountMacKeys = Map.copyOf(keys);
            return this;
        }

        /**
         * How long issued certificates are valid, at least one second; sub-second parts are dropped:
         * the {@code validityPeriod} of the one default {@linkplain #profiles profile} (Pebble 2.10
         * ignores the older {@code certificateValidityPeriod}, which the kit writes too for a Pebble
         * 2.4 named by the builder). Default: Pebble 2.10's own, 90 days.
         *
         * @param validity the lifetime of issued certificates
         * @return this builder
         */
        public Builder certificateValidity(Duration validity) {
            Objects.requireNonNull(validity, "validity");
            if (validity.toSeconds() < 1) {
                throw new IllegalArgumentException("certificateValidity must be at least 1 second: " + validity);
            }
            this.certificateValidity = Optional.of(validity);
            return this;
        }

        /**
         * The certificate profiles Pebble 2.10 offers ({@code profiles}; the directory lists them in
         * {@code meta.profiles}). Default: one profile, {@code "default"}, lasting the
         * {@linkplain #certificateValidity certificate validity} or else 90 days. Pebble gives an
         * order that names no {@code profile} a random one of these, so give several only to a test
         * whose orders name theirs.
         *
         * @param nameToProfile at least one entry, from a non-blank profile name to the profile
         * @return this builder
         */
        public Builder profiles(Map<String, PebbleProfile> nameToProfile) {
            Objects.requireNonNull(nameToProfile, "nameToProfile");
            if (nameToProfile.isEmpty()) {
                throw new IllegalArgumentException("profiles needs at least one profile");
            }
            Map<String, PebbleProfile> checked = new LinkedHashMap<>();
            nameToProfile.forEach((name, profile) -> {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("a profile name must not be blank");
                }
                checked.put(name, Objects.requireNonNull(profile, "the profile " + name));
            });
            this.profiles = Map.copyOf(checked);
            return this;
        }

        /**
         * Makes Pebble 2.10 send {@code Retry-After} (RFC 8555 section 8.2) with these delays, in
         * whole seconds of at least one, on authorizations and on orders that are not final yet
         * ({@code retryAfter: {authz, order}}). Default: Pebble sends none.
         *
         * @param authz the delay on authorizations
         * @param order the delay on orders
         * @return this builder
         */
        public Builder retryAfter(Duration authz, Duration order) {
            Objects.requireNonNull(authz, "authz");
            Objects.requireNonNull(order, "order");
            if (authz.toSeconds() < 1 || order.toSeconds() < 1) {
                throw new IllegalArgumentException("retryAfter must be at least 1 second: " + authz + ", " + order);
            }
            this.retryAfter = Optional.of(new PebbleSettings.RetryAfter(authz, order));
            return this;
        }

        /**
         * Domains for which Pebble refuses to issue ({@code domainBlocklist}): a new order naming
         * one of them, or a name under one, is refused with {@code rejectedIdentifier}
         * (RFC 8555 section 6.7). Default: none.
         *
         * @param domains DNS names, for example {@code blocked.example.test}
         * @return this builder
         * @throws IllegalArgumentException if a name is blank or holds a space, quote or backslash
         */
        public Builder domainBlocklist(List<String> domains) {
            Objects.requireNonNull(domains, "domains");
            for (String domain : domains) {
                Objects.requireNonNull(domain, "a blocked domain");
                if (domain.isBlank() || !domain.matches("[^\\s\"\\\\]+")) {
                    throw new IllegalArgumentException("not a domain to block: " + domain);
                }
            }
            this.domainBlocklist = List.copyOf(domains);
            return this;
        }

        /**
         * How long {@link PebbleServer#start()} waits for both processes to serve. Default 30 seconds.
         *
         * @param timeout the longest wait
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * The Pebble executable, used as given. Default: the first {@code pebble} in
         * {@code $KEYWARD_PEBBLE_HOME}, then in the cache folder of {@code scripts/ensure-tools.sh}
         * ({@code ${KEYWARD_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyward}/pebble-2.10.0+ds1-2/usr/bin}),
         * then in {@code /usr/bin}, then on {@code PATH}.
         *
         * @param binary the executable
         * @return this builder
         */
        public Builder pebbleBinary(Path binary) {
            this.pebbleBinary = Optional.of(Objects.requireNonNull(binary, "binary"));
            return this;
        }

        /**
         * The challenge test server executable, used as given; its usage text tells the kit whether it
         * belongs to Pebble 2.10 ({@code -dnsserver}) or 2.4 ({@code -dns01}), and a 2.4 one named here
         * runs with 2.4's flags (without profiles and retryAfter). Default: searched like
         * {@link #pebbleBinary}, and it must be Pebble 2.10's.
         *
         * @param binary the executable
         * @return this builder
         */
        public Builder challtestsrvBinary(Path binary) {
            this.challtestsrvBinary = Optional.of(Objects.requireNonNull(binary, "binary"));
            return this;
        }

        /**
         * The folder for configuration, TLS material and logs; created if missing and kept after
         * {@link PebbleServer#close()}. Default: a fresh temporary folder, deleted on close.
         *
         * @param directory the folder
         * @return this builder
         */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Optional.of(Objects.requireNonNull(directory, "directory"));
            return this;
        }

        /**
         * Returns a server with this configuration; it runs once {@link PebbleServer#start()} is called.
         *
         * @return a server that has not started
         */
        public PebbleServer build() {
            return new PebbleServer(settings());
        }

        PebbleSettings settings() {
            return new PebbleSettings(nonceRejectPercent, authorizationReusePercent, vaNoSleep, ordersPerPage,
                    chainLength, alternateRoots, externalAccountMacKeys, certificateValidity, startupTimeout,
                    pebbleBinary, challtestsrvBinary, workDirectory, profiles, retryAfter, domainBlocklist);
        }

        private static int percent(int value, String name) {
            if (value < 0 || value > 100) {
                throw new IllegalArgumentException(name + " must be between 0 and 100: " + value);
            }
            return value;
        }

        private static boolean decodes(String base64url) {
            try {
                Base64.getUrlDecoder().decode(base64url);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
