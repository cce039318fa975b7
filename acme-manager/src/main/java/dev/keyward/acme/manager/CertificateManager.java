package dev.keyward.acme.manager;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.Http01Lookup;
import dev.keyward.acme.TlsAlpn01KeyManager;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's certificates: issues the {@link CertificateSet}s it is given through ACME
 * (RFC 8555 section 7.4), renews them when {@link RenewalPolicy} says (ACME Renewal Information,
 * RFC 9773, when the CA offers it; renewals send {@code replaces}, section 5), retries failures
 * with backoff, keeps everything in a {@link CertificateStorage}, and serves the current
 * certificates through {@link #keyManager()} / {@link #sslContext()}, which pick by SNI, swap
 * atomically on renewal and answer {@code tls-alpn-01} (RFC 8737) on the same port.
 *
 * <pre>{@code
 * CertificateManager manager = CertificateManager.builder()
 *         .storage(CertificateStorage.files(Path.of("/var/lib/myapp/certificates")))
 *         .add(CertificateSet.builder("www").domains("example.com", "www.example.com").ca(letsEncrypt).build())
 *         .eventListener(EventListener.logging())
 *         .build();
 * HttpsServer server = HttpsServer.create(new InetSocketAddress(443), 0);
 * server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
 * server.start();
 * manager.start(); // serves what storage holds, issues what is missing, then renews in the background
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} loads what the storage holds and serves every certificate that is
 * still valid at once, asks the CA for renewal information, issues what is missing (on the calling
 * thread), and then starts one daemon thread that runs {@link #runDueWork()} whenever work falls
 * due on the manager's {@link AcmeClock}. With {@link Builder#backgroundScheduling(boolean)
 * backgroundScheduling(false)} no thread is started and the caller (a test with a fake clock)
 * calls {@link #runDueWork()} itself. {@link #close()} stops the thread and the CA clients.
 *
 * <p>Storage layout (the {@linkplain CertificateStorage#files file storage} maps keys to files):
 * <pre>
 * certificates/SET/certificate.pem     the chain, leaf first
 * certificates/SET/key-FP.pem          a generated key: PKCS#8 and its public key (secret: 0600)
 * certificates/SET/key-FP.ref          an HSM/KMS key: its reference and public key, no key material
 * certificates/SET/order.properties    an issuance in progress (order URL, key FP), resumed after a crash
 * accounts/CA/account-key.pem          a generated account key (secret: 0600)
 * accounts/CA/account-key.ref          a caller's account key: its reference and public key
 * accounts/CA/account.properties       the account URL and directory URL
 * </pre>
 * FP: the first 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo. CA: the directory
 * URL's host, port and a digest of the URL. A renewal stores its new key under its own name, then
 * replaces {@code certificate.pem} atomically, then removes the other keys, so a crash at any
 * point leaves a certificate with its key. Issuance for a set holds the storage's lock of
 * {@code certificates/SET} ({@link CertificateStorage#tryLock}) and writes the set through it;
 * after taking the lock the manager reads the set again and serves a certificate that another
 * manager sharing the storage stored meanwhile instead of issuing one; while another manager
 * holds the lock, the set is looked at again after {@link Builder#lockRetryInterval}. So managers
 * sharing a storage (acme-jdbc's {@code JdbcCertificateStorage}) issue each renewal once.
 *
 * <p>Defaults: system clock, {@link SecureRandom} jitter, {@link RenewalPolicy#defaults()},
 * {@link RenewalInfoSource#acme()}, {@link EventListener#NONE}, background scheduling on, a lock
 * retry of 1 minute.
 * Thread-safe.
 */
public final class CertificateManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);
    private static final Duration MAX_SLEEP = Duration.ofHours(1);
    private static final Duration RENEWAL_INFO_RETRY = Duration.ofHours(1);

    private final Map<String, SetState> states = new LinkedHashMap<>();
    private final SetStore store;
    private final AcmeClock clock;
    private final Random random;
    private final RenewalPolicy policy;
    private final RenewalInfoSource renewalInfo;
    private final EventListener events;
    private final boolean background;
    private final ServingKeyManager serving;
    private final TlsAlpn01KeyManager keyManager;
    private final Http01Lookup http01 = Http01Lookup.create();
    private final SSLContext sslContext;
    private final Issuer issuer;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> nextRun;
    private boolean closed;
    private boolean started;
    private boolean loaded;
    private final Duration maxRenewalInfoInterval;
    private final Duration lockRetry;

    private CertificateManager(Builder b) {
        this.store = new SetStore(b.storage);
        this.clock = b.clock;
        this.random = b.random;
        this.policy = b.policy;
        this.renewalInfo = b.renewalInfo;
        this.events = b.events;
        this.background = b.background;
        this.maxRenewalInfoInterval = b.maxRenewalInfoInterval;
        this.lockRetry = b.lockRetry;
        List<String> names = new ArrayList<>();
        for (CertificateSet set : b.sets) {
            states.put(set.name(), new SetState(set));
            names.add(set.name());
        }
        this.serving = new ServingKeyManager(names);
        this.keyManager = TlsAlpn01KeyManager.wrap(serving);
        this.sslContext = keyManager.serverContext();
        this.issuer = b.issuer != null ? b.issuer : new AcmeIssuer(clock, store, keyManager, http01, events);
    }

    /**
     * A builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The key manager for the server's TLS: picks the current certificate by SNI (exact name, then
     * a wildcard, then the first set that has one), swaps on renewal without a restart, and answers
     * {@code tls-alpn-01} validation handshakes (RFC 8737; TLS 1.3) on the same port.
     *
     * @return the key manager
     */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /**
     * A server {@link SSLContext} with {@link #keyManager()} and the ALPN selector that
     * {@code tls-alpn-01} needs installed on every engine it creates (JDK {@code HttpsServer},
     * Jetty, Netty's JDK provider).
     *
     * @return the context, the same on every call
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * The {@code http-01} answers (RFC 8555 section 8.3) for a server to mount at
     * {@value Http01Lookup#PATH_PREFIX}.
     *
     * @return the lookup
     */
    public Http01Lookup http01Lookup() {
        return http01;
    }

    /**
     * Loads what the storage holds and serves every certificate that is still valid at once,
     * asks the CA for renewal information, issues what is missing on this thread (a failure is
     * reported to the {@link EventListener} and retried with backoff, not thrown), and starts the
     * background thread unless turned off.
     *
     * @throws IOException if the storage cannot be read
     * @throws IllegalStateException if the manager was started or closed already
     */
    public synchronized void start() throws IOException {
        if (closed || scheduler != null || started) {
            throw new IllegalStateException("the manager was started or closed already");
        }
        started = true;
        load();
        if (background) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "keyward-certificate-manager");
                thread.setDaemon(true);
                return thread;
            });
        }
        runDueWork();
    }

    /**
     * Loads what the storage holds and serves every certificate that is still valid, without any
     * request to a CA; {@link #start()} does it first. Once loaded, later calls do nothing. A
     * one-shot caller (a cron job) calls this, then {@link #check(String)} and
     * {@link #renewNow(String)} per set, and never {@link #start()}.
     *
     * @throws IOException if the storage cannot be read
     * @throws IllegalStateException if the manager was closed
     */
    public synchronized void load() throws IOException {
        if (closed) {
            throw new IllegalStateException("the manager was closed");
        }
        if (loaded) {
            return;
        }
        Instant now = clock.now();
        for (SetState st : states.values()) {
            Optional<ManagedCertificate> stored = store.load(st.set);
            if (stored.isPresent() && stored.get().notAfter().isAfter(now)) {
                st.current = stored.get();
                serving.install(st.set, st.current);
                safely(() -> events.certificateLoaded(st.set.name(), st.current));
                st.nextRenewalInfoCheck = now;
            } else {
                st.nextAttempt = now;
            }
        }
        loaded = true;
    }

    /**
     * Asks the CA for the renewal information (RFC 9773) of a set's current certificate now and
     * says whether an issuance is due; sends nothing else, orders nothing. Loads the storage first
     * if {@link #load()} was not called. A failed fetch is reported to
     * {@link EventListener#renewalInfoFailed} and the answer falls back to the lifetime.
     *
     * @param setName the set's name
     * @return what is due
     * @throws IOException if the storage cannot be read
     * @throws IllegalArgumentException for an unknown set
     */
    public synchronized RenewalCheck check(String setName) throws IOException {
        SetState st = state(setName);
        load();
        Instant now = clock.now();
        ManagedCertificate current = st.current;
        if (current == null) {
            return new RenewalCheck(setName, null, null, true, "no certificate", now);
        }
        if (!current.notAfter().isAfter(now)) {
            return new RenewalCheck(setName, current, null, true, "expired", now);
        }
        checkRenewalInfo(st, now);
        reschedule();
        RenewalWindow window = st.window.orElse(null);
        if (st.revoked) {
            return new RenewalCheck(setName, current, window, true, "revoked", now);
        }
        if (window != null) {
            boolean started = !now.isBefore(window.start());
            return new RenewalCheck(setName, current, window, started, started ? "ari window started" : "ari",
                    started ? now : window.start());
        }
        boolean due = !now.isBefore(st.renewAt);
        return new RenewalCheck(setName, current, null, due, "lifetime", due ? now : st.renewAt);
    }

    /**
     * Does every piece of work that is due on the manager's clock: renewal-information checks,
     * expiry warnings, issuances and renewals, retries. The background thread calls it; a test
     * with a fake clock calls it directly.
     */
    public synchronized void runDueWork() {
        if (closed) {
            return;
        }
        for (SetState st : states.values()) {
            Instant now = clock.now();
            if (st.current != null && !st.current.notAfter().isAfter(now)) {
                if (st.failures == 0 && st.nextAttempt == null) {
                    st.nextAttempt = now;
                }
            }
            if (st.current != null && st.nextRenewalInfoCheck != null && !now.isBefore(st.nextRenewalInfoCheck)) {
                checkRenewalInfo(st, now);
            }
            if (st.current != null) {
                warnOfExpiry(st, now);
            }
            Instant due = st.issuanceDue();
            if (due != null && !now.isBefore(due)) {
                attempt(st, false, false);
            }
        }
        reschedule();
    }

    /**
     * Renews (or first issues) a set's certificate now, whatever its schedule, on this thread.
     *
     * @param setName the set's name
     * @return the new certificate, already served
     * @throws AcmeException if the issuance failed (also reported and retried with backoff)
     * @throws IOException if the storage failed, or another manager sharing the storage holds the
     *     set's lock (it is issuing the set now)
     * @throws IllegalArgumentException for an unknown set
     */
    public synchronized ManagedCertificate renewNow(String setName) throws AcmeException, IOException {
        SetState st = state(setName);
        Exception failure = attempt(st, true, false);
        reschedule();
        if (failure instanceof AcmeException) {
            throw (AcmeException) failure;
        }
        if (failure instanceof IOException) {
            throw (IOException) failure;
        }
        if (failure != null) {
            throw new IllegalStateException("renewing " + setName + " failed", failure);
        }
        return st.current;
    }

    /**
     * Tells the manager that a set's certificate was revoked (for example seen through OCSP or
     * after {@code Account.revoke}): it is renewed at once, on the next {@link #runDueWork()}.
     *
     * @param setName the set's name
     * @throws IllegalArgumentException for an unknown set
     */
    public synchronized void certificateRevoked(String setName) {
        SetState st = state(setName);
        st.revoked = true;
        if (st.current != null) {
            schedule(st, clock.now());
        }
        reschedule();
    }

    /**
     * Contains a suspected compromise of the manager's account at a CA (RFC 8555 sections 7.3.6
     * and 7.5.2), and re-issues around it, on this thread:
     * <ol>
     *   <li>creates a new account with a new generated EC P-256 key and stores it in place of the
     *       old one ({@link EventListener#accountReplaced});</li>
     *   <li>re-issues the certificate of every set of that CA under the new account, each with a
     *       new generated certificate key (a set whose key is the caller's HSM/KMS key keeps that
     *       key), without {@code replaces}; a set that fails is reported to
     *       {@link EventListener#issuanceFailed} and retried with backoff, like any renewal;</li>
     *   <li>then runs acme-core's {@link Containment} on the old account: optionally revokes its
     *       unexpired certificates ({@code keyCompromise}, section 7.6), deactivates its
     *       authorizations and deactivates the account.</li>
     * </ol>
     * New certificates come first so that no set is served a revoked certificate while its
     * replacement is issued. The old account key is kept in memory only until the containment
     * ends: a crash between steps 1 and 3 leaves the old account undeactivated (run
     * {@link Containment} with the old key by hand then).
     *
     * @param ca the CA, as given to the sets
     * @param revokeOldCertificates whether to revoke the old account's unexpired certificates
     * @return the report of the containment of the old account
     * @throws AcmeException if the new account cannot be created (nothing else was done then)
     * @throws IOException if the storage fails
     * @throws IllegalArgumentException if no set of this manager uses {@code ca}
     * @throws IllegalStateException if the CA uses ephemeral accounts or the caller's account key,
     *     or the manager was closed
     */
    public synchronized ContainmentReport contain(AcmeCa ca, boolean revokeOldCertificates)
            throws AcmeException, IOException {
        Objects.requireNonNull(ca, "ca");
        if (closed) {
            throw new IllegalStateException("the manager was closed");
        }
        List<SetState> affected = new ArrayList<>();
        for (SetState st : states.values()) {
            if (st.set.ca() == ca) {
                affected.add(st);
            }
        }
        if (affected.isEmpty()) {
            throw new IllegalArgumentException("no certificate set of this manager uses " + ca);
        }
        load();
        Issuer.AccountSwap swap = issuer.replaceAccount(ca);
        Account old = swap.previous();
        safely(() -> events.accountReplaced(ca.directoryUrl(), old.url(), swap.current().url()));
        for (SetState st : affected) {
            attempt(st, true, true);
        }
        Containment.Builder containment = Containment.builder(issuer.client(ca), old.signer()).deactivateAccount()
                .endEvenIfIncomplete(true);
        if (revokeOldCertificates) {
            containment.revokeCertificates(RevocationReason.KEY_COMPROMISE);
        }
        ContainmentReport report = containment.build().run();
        reschedule();
        return report;
    }

    /**
     * The certificate a set is served with.
     *
     * @param setName the set's name
     * @return the certificate, empty before the first issuance
     * @throws IllegalArgumentException for an unknown set
     */
    public Optional<ManagedCertificate> certificate(String setName) {
        return Optional.ofNullable(state(setName).current);
    }

    /**
     * When the next issuance of a set is due: its renewal, or the retry after a failure.
     *
     * @param setName the set's name
     * @return the instant, empty when nothing is scheduled
     * @throws IllegalArgumentException for an unknown set
     */
    public synchronized Optional<Instant> nextIssuance(String setName) {
        return Optional.ofNullable(state(setName).issuanceDue());
    }

    /** @return the names of the sets, in the order added */
    public List<String> setNames() {
        return List.copyOf(states.keySet());
    }

    /** Stops the background thread and closes the CA clients; serving continues with the last certificates. */
    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        issuer.close();
    }

    private SetState state(String setName) {
        SetState st = states.get(Objects.requireNonNull(setName, "setName"));
        if (st == null) {
            throw new IllegalArgumentException("no certificate set named " + setName);
        }
        return st;
    }

    /**
     * One issuance or renewal under the storage's lock of the set; returns the failure, or null.
     * Unless {@code force}, a certificate another manager stored (newer than the one served) is
     * served instead of issuing: looked for before taking the lock and again after. When another
     * manager holds the lock nothing is sent and the set is looked at again after the lock retry.
     * {@code fresh}: a re-issuance after containment, under a new account: no order of the old
     * account is resumed and nothing is sent as {@code replaces} (the old account's certificate is
     * not the new account's to replace).
     */
    private Exception attempt(SetState st, boolean force, boolean fresh) {
        CertificateSet set = st.set;
        Optional<ManagedCertificate> previous = Optional.ofNullable(st.current);
        String lockName = SetStore.directory(set.name());
        Optional<StorageLock> held;
        try {
            if (!force && adoptStored(st)) {
                settled(st, previous, true);
                return null;
            }
            held = store.storage().tryLock(lockName);
        } catch (IOException | RuntimeException e) {
            failed(st, e);
            return e;
        }
        if (held.isEmpty()) {
            st.busyUntil = clock.now().plus(lockRetry);
            LOG.info("{}: another manager holds the lock of {}; looking again at {}", set.name(), lockName, st.busyUntil);
            return new IOException("another manager is issuing " + set.name() + " (it holds the storage's lock of "
                    + lockName + ")");
        }
        st.busyUntil = null;
        URI resume = null;
        boolean adopted = false;
        StorageLock lock = held.get();
        SetStore locked = store.under(lock);
        try {
            if (!force && adoptStored(st)) {
                adopted = true;
            } else {
                safely(() -> events.issuanceStarted(set.name(), previous));
                CertificateKey key = null;
                Optional<String[]> pending = locked.pendingOrder(set.name());
                if (fresh && pending.isPresent()) {
                    locked.deleteOrder(set.name());
                    pending = Optional.empty();
                }
                if (pending.isPresent()) {
                    key = locked.key(set, pending.get()[1]).orElse(null);
                    resume = key == null ? null : URI.create(pending.get()[0]);
                }
                if (key == null) {
                    key = set.keySource().isGenerated() ? CertificateKey.generate(set.keySource())
                            : CertificateKey.external(set.keySource());
                    locked.saveKey(set.name(), key);
                }
                CertificateKey used = key;
                List<X509Certificate> chain = issuer.issue(set, key, resume,
                        fresh ? null : previous.map(ManagedCertificate::leaf).orElse(null),
                        orderUrl -> locked.saveOrder(set.name(), orderUrl, used.fingerprint));
                locked.saveCertificate(set.name(), chain, key);
                ManagedCertificate issued = new ManagedCertificate(set.name(), chain, key.tlsKey, key.reference);
                st.current = issued;
                serving.install(set, issued);
            }
        } catch (AcmeException | IOException | RuntimeException e) {
            if (resume != null && !(e instanceof LockLostException)) {
                try {
                    locked.deleteOrder(set.name()); // the resumed order failed: the next attempt makes a new one
                } catch (IOException ignored) {
                    LOG.warn("{}: the failed order's record could not be removed", set.name());
                }
            }
            failed(st, e);
            return e;
        } finally {
            try {
                lock.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: the storage's lock of {} could not be released (it lapses by itself): {}", set.name(),
                        lockName, e.toString());
            }
        }
        settled(st, previous, adopted);
        return null;
    }

    /** Serves the certificate another manager stored for the set, if it is newer than the one served. */
    private boolean adoptStored(SetState st) throws IOException {
        Optional<ManagedCertificate> stored = store.load(st.set);
        if (stored.isEmpty() || !newer(stored.get(), st.current)) {
            return false;
        }
        ManagedCertificate taken = stored.get();
        st.current = taken;
        serving.install(st.set, taken);
        safely(() -> events.certificateLoaded(st.set.name(), taken));
        return true;
    }

    /** After a new certificate is served: the schedule starts over from it. */
    private void settled(SetState st, Optional<ManagedCertificate> previous, boolean adopted) {
        Instant now = clock.now();
        st.failures = 0;
        st.nextAttempt = null;
        st.busyUntil = null;
        st.revoked = false;
        st.window = Optional.empty();
        st.renewAt = null;
        st.basis = null;
        st.lastWarned = Optional.empty();
        ManagedCertificate current = st.current;
        String name = st.set.name();
        if (!adopted) {
            safely(() -> events.issuanceSucceeded(name, current));
        }
        safely(() -> events.certificateReplaced(name, previous, current));
        checkRenewalInfo(st, now);
    }

    /** Whether a stored certificate is another, at least as late as the one served (or none is served). */
    private boolean newer(ManagedCertificate stored, ManagedCertificate served) {
        if (!stored.notAfter().isAfter(clock.now())) {
            return false;
        }
        return served == null || (!stored.leaf().equals(served.leaf()) && !stored.notAfter().isBefore(served.notAfter()));
    }

    private void failed(SetState st, Exception failure) {
        Instant now = clock.now();
        st.failures++;
        Optional<Instant> retryAfter = failure instanceof AcmeServerException
                ? ((AcmeServerException) failure).retryAfter() : Optional.empty();
        Optional<Instant> notAfter = Optional.ofNullable(st.current).map(ManagedCertificate::notAfter)
                .filter(t -> t.isAfter(now));
        st.nextAttempt = policy.retryTime(st.failures, notAfter, retryAfter, now);
        int failures = st.failures;
        Instant next = st.nextAttempt;
        safely(() -> events.issuanceFailed(st.set.name(), failure, failures, next));
    }

    private void checkRenewalInfo(SetState st, Instant now) {
        X509Certificate leaf = st.current.leaf();
        try {
            Optional<RenewalWindow> window = renewalInfo.renewalWindow(issuer.client(st.set.ca()), leaf);
            st.window = window;
            Instant next = window.map(w -> w.nextCheck(now)).orElse(now.plus(RenewalWindow.DEFAULT_RECHECK));
            if (maxRenewalInfoInterval != null) {
                next = earliest(next, now.plus(maxRenewalInfoInterval));
            }
            st.nextRenewalInfoCheck = next;
        } catch (AcmeException | RuntimeException e) {
            safely(() -> events.renewalInfoFailed(st.set.name(), e));
            st.nextRenewalInfoCheck = now.plus(RENEWAL_INFO_RETRY);
        }
        schedule(st, now);
    }

    /** Sets the renewal time from the current certificate, window and revocation; keeps a chosen time that still fits. */
    private void schedule(SetState st, Instant now) {
        String basis;
        if (st.revoked) {
            basis = "revoked";
        } else if (st.window.isPresent()) {
            basis = st.window.get().end().isAfter(now) ? "ari" : "ari-window-past";
        } else {
            basis = "lifetime";
        }
        if (st.renewAt != null && basis.equals(st.basis) && !basis.equals("revoked")) {
            boolean fits = basis.equals("lifetime") || (basis.equals("ari")
                    && !st.renewAt.isBefore(st.window.get().start()) && st.renewAt.isBefore(st.window.get().end()));
            if (fits) {
                return;
            }
        }
        Instant at = policy.renewalTime(st.current.leaf(), st.window, st.revoked, now, random);
        st.renewAt = at;
        st.basis = basis;
        safely(() -> events.renewalScheduled(st.set.name(), at, basis));
    }

    private void warnOfExpiry(SetState st, Instant now) {
        ManagedCertificate current = st.current;
        Optional<Duration> due = policy.expiryWarning(current.notAfter(), now, st.lastWarned);
        if (due.isPresent()) {
            st.lastWarned = due;
            Duration remaining = Duration.between(now, current.notAfter());
            safely(() -> events.expiryWarning(st.set.name(), current, remaining, due.get()));
        }
    }

    private void reschedule() {
        if (scheduler == null || closed) {
            return;
        }
        Instant now = clock.now();
        Instant next = now.plus(MAX_SLEEP);
        for (SetState st : states.values()) {
            next = earliest(next, st.issuanceDue());
            next = earliest(next, st.current == null ? null : st.nextRenewalInfoCheck);
            if (st.current != null) {
                next = earliest(next, policy.nextExpiryWarning(st.current.notAfter(), now, st.lastWarned).orElse(null));
            }
        }
        long delay = Math.max(0, Duration.between(now, next).toMillis());
        if (nextRun != null) {
            nextRun.cancel(false);
        }
        nextRun = scheduler.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            runDueWork();
        } catch (RuntimeException | Error e) {
            LOG.error("the certificate manager's scheduled work failed", e);
            synchronized (this) {
                if (!closed) {
                    nextRun = scheduler.schedule(this::tick, 1, TimeUnit.MINUTES);
                }
            }
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return b != null && b.isBefore(a) ? b : a;
    }

    private static void safely(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("an event listener threw", e);
        }
    }

    @Override
    public String toString() {
        return "CertificateManager{" + states.keySet() + "}";
    }

    /** Builds a {@link CertificateManager}; each setter checks its argument at once. */
    public static final class Builder {
        private CertificateStorage storage;
        private final List<CertificateSet> sets = new ArrayList<>();
        private final java.util.Set<String> setNames = new java.util.HashSet<>();
        private final Map<URI, CertificateSet> byCa = new java.util.HashMap<>();
        private AcmeClock clock = AcmeClock.system();
        private Random random = new SecureRandom();
        private RenewalPolicy policy = RenewalPolicy.defaults();
        private RenewalInfoSource renewalInfo = RenewalInfoSource.acme();
        private EventListener events = EventListener.NONE;
        private boolean background = true;
        private Duration maxRenewalInfoInterval;
        private Duration lockRetry = Duration.ofMinutes(1);
        private Issuer issuer;

        private Builder() {
        }

        /**
         * Where certificates, keys and accounts are kept (required).
         *
         * @param value the storage, for example {@link CertificateStorage#files}
         * @return this builder
         */
        public Builder storage(CertificateStorage value) {
            this.storage = Objects.requireNonNull(value, "storage");
            return this;
        }

        /**
         * Adds a certificate set. The first set added is served to handshakes without a known SNI name.
         *
         * @param set the set; its name must be unique, and sets of the same directory URL must share
         *     one {@link AcmeCa}
         * @return this builder
         * @throws IllegalArgumentException if the name is taken or the CA conflicts
         */
        public Builder add(CertificateSet set) {
            Objects.requireNonNull(set, "set");
            if (setNames.contains(set.name())) {
                throw new IllegalArgumentException("two certificate sets named " + set.name());
            }
            CertificateSet sameCa = byCa.putIfAbsent(set.ca().directoryUrl(), set);
            if (sameCa != null && sameCa.ca() != set.ca()) {
                throw new IllegalArgumentException("sets " + sameCa.name() + " and " + set.name()
                        + " name the same CA through two AcmeCa objects: one account per CA needs one AcmeCa");
            }
            setNames.add(set.name());
            sets.add(set);
            return this;
        }

        /**
         * The clock of every schedule and wait, also given to the CA clients (default
         * {@link AcmeClock#system()}).
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(AcmeClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The source of jitter (default a {@link SecureRandom}).
         *
         * @param value the source
         * @return this builder
         */
        public Builder random(Random value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /**
         * When to renew, retry and warn (default {@link RenewalPolicy#defaults()}).
         *
         * @param value the policy
         * @return this builder
         */
        public Builder renewalPolicy(RenewalPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /**
         * Where renewal windows come from (default {@link RenewalInfoSource#acme()}).
         *
         * @param value the source
         * @return this builder
         */
        public Builder renewalInfoSource(RenewalInfoSource value) {
            this.renewalInfo = Objects.requireNonNull(value, "renewalInfoSource");
            return this;
        }

        /**
         * The listener of the manager's events (default {@link EventListener#NONE}).
         *
         * @param value the listener
         * @return this builder
         */
        public Builder eventListener(EventListener value) {
            this.events = Objects.requireNonNull(value, "eventListener");
            return this;
        }

        /**
         * Whether {@link CertificateManager#start()} starts the daemon thread that runs due work
         * (default true). Off, the caller calls {@link CertificateManager#runDueWork()}.
         *
         * @param value whether to
         * @return this builder
         */
        public Builder backgroundScheduling(boolean value) {
            this.background = value;
            return this;
        }

        /**
         * The longest wait between two renewal-information checks of a certificate (default: none,
         * the CA's {@code Retry-After}, RFC 9773 section 4.3, or 6 hours when it sends none). Set it
         * to ask more often than the CA says: to see a moved window sooner in a test, or where a
         * CA's {@code Retry-After} is longer than the operator accepts.
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxRenewalInfoInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the renewal-information interval must be positive, not " + interval);
            }
            this.maxRenewalInfoInterval = interval;
            return this;
        }

        /**
         * How long a manager waits before it looks again at a set whose storage lock another
         * manager holds (default 1 minute). Then it takes the lock, finds the certificate the
         * other manager stored and serves it; or, if the other manager died, takes the set over
         * once the storage's lease has lapsed.
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder lockRetryInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the lock retry interval must be positive, not " + interval);
            }
            this.lockRetry = interval;
            return this;
        }

        Builder issuer(Issuer value) {
            this.issuer = value;
            return this;
        }

        /**
         * Builds the manager. Sends nothing and reads nothing until {@link CertificateManager#start()}.
         *
         * @return the manager
         * @throws IllegalStateException without a storage or a set
         */
        public CertificateManager build() {
            if (storage == null) {
                throw new IllegalStateException("a certificate manager needs a storage");
            }
            if (sets.isEmpty()) {
                throw new IllegalStateException("a certificate manager needs at least one certificate set");
            }
            return new CertificateManager(this);
        }
    }
}
