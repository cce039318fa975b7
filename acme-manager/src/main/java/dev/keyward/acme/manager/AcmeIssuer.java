package dev.keyward.acme.manager;

import dev.keyward.acme.Account;
import dev.keyward.acme.AccountRequest;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Http01Lookup;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.Order;
import dev.keyward.acme.TlsAlpn01KeyManager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issues through acme-core's flow ({@code Account.issue}): one client and one account per CA. */
final class AcmeIssuer implements Issuer {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);
    /** How long a manager waits for another that is creating the shared account key. */
    private static final Duration ACCOUNT_LOCK_WAIT = Duration.ofMinutes(3);

    private final AcmeClock clock;
    private final SetStore store;
    private final TlsAlpn01KeyManager tlsAlpn01;
    private final Http01Lookup http01;
    private final EventListener events;
    private final Map<URI, AcmeClient> clients = new ConcurrentHashMap<>();
    /** The accounts in use, by their storage directory (a CA's, or a named account's). */
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    AcmeIssuer(AcmeClock clock, SetStore store, TlsAlpn01KeyManager tlsAlpn01, Http01Lookup http01,
            EventListener events) {
        this.clock = clock;
        this.events = events;
        this.store = store;
        this.tlsAlpn01 = tlsAlpn01;
        this.http01 = http01;
    }

    @Override
    public AcmeClient client(AcmeCa ca) {
        return clients.computeIfAbsent(ca.directoryUrl(), url -> AcmeClient.builder(url)
                .trustAnchors(ca.trustAnchors())
                .clock(clock)
                .allowPlainHttp(ca.allowPlainHttp())
                .userAgent("keyward-manager")
                .eventListener(events)
                .build());
    }

    @Override
    public List<X509Certificate> issue(CertificateSet set, CertificateKey key, URI resumeOrder,
            X509Certificate replacing, OrderSink sink) throws AcmeException, IOException {
        AcmeCa ca = set.ca();
        List<ChallengeSolver> solvers = new ArrayList<>();
        if (set.usesTlsAlpn01()) {
            solvers.add(tlsAlpn01);
        }
        if (set.usesHttp01()) {
            solvers.add(http01);
        }
        solvers.addAll(set.solvers());
        IssuanceRequest.Builder request = IssuanceRequest.builder()
                .identifiers(set.identifiers())
                .certificateKey(key.signer)
                .solvers(solvers)
                .deadline(ca.issuanceDeadline())
                .deactivateAuthorizations(ca.deactivateAuthorizations())
                .listener(new IssuanceListener() {
                    @Override
                    public void orderCreated(Order order) {
                        try {
                            sink.orderCreated(order.url());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
        set.profile().ifPresent(request::profile);
        set.preferredChain().ifPresent(request::preferredChain);
        if (replacing != null && replacing.getExtensionValue("2.5.29.35") != null) {
            request.replaces(replacing);
        }
        if (resumeOrder != null) {
            request.resumeOrder(resumeOrder);
        }
        try {
            if (ca.ephemeralAccounts()) {
                CertificateKey accountKey = CertificateKey.generate(KeySource.ecP256());
                Account account = newAccount(ca, accountKey.signer);
                try {
                    return account.issue(request.build()).chain().certificates();
                } finally {
                    try {
                        account.deactivate();
                    } catch (AcmeException e) {
                        LOG.warn("deactivating the ephemeral account {} failed: {}", account.url(), e.toString());
                    }
                }
            }
            return account(ca).issue(request.build()).chain().certificates();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Account account(AcmeCa ca) throws AcmeException, IOException {
        Account cached = accounts.get(SetStore.caDirectory(ca));
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = accounts.get(SetStore.caDirectory(ca));
            if (cached != null) {
                return cached;
            }
            requireSameCa(ca);
            Account account = newAccount(ca, accountKey(ca));
            String text = "account=" + account.url() + "\ndirectory=" + ca.directoryUrl() + "\n";
            store.store(SetStore.caDirectory(ca) + "/account.properties",
                    text.getBytes(StandardCharsets.UTF_8), false);
            accounts.put(SetStore.caDirectory(ca), account);
            return account;
        }
    }

    /** A named account belongs to one CA: a stored record of another directory URL is refused. */
    private void requireSameCa(AcmeCa ca) throws IOException {
        if (ca.accountName().isEmpty()) {
            return;
        }
        Optional<byte[]> stored = store.storage().load(SetStore.caDirectory(ca) + "/account.properties");
        if (stored.isEmpty()) {
            return;
        }
        String directory = new String(stored.get(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("directory=")).map(l -> l.substring("directory=".length()))
                .findFirst().orElse("");
        if (!directory.isEmpty() && !directory.equals(ca.directoryUrl().toString())) {
            throw new IOException("the account named " + ca.accountName().get() + " belongs to the CA " + directory
                    + ", not " + ca.directoryUrl() + ": give this CA another account name");
        }
    }

    @Override
    public synchronized AccountSwap replaceAccount(AcmeCa ca) throws AcmeException, IOException {
        if (ca.ephemeralAccounts()) {
            throw new IllegalStateException("the CA " + ca.directoryUrl() + " uses an ephemeral account per order:"
                    + " there is no long-lived account to contain");
        }
        if (ca.accountKey().isPresent()) {
            throw new IllegalStateException("the account key of " + ca.directoryUrl() + " is the caller's ("
                    + ca.accountKeyReference().orElse("external") + "): give the CA a new key to replace it");
        }
        Account old = account(ca);
        CertificateKey key = CertificateKey.generate(KeySource.ecP256());
        Account fresh = newAccount(ca, key.signer);
        String dir = SetStore.caDirectory(ca);
        store.store(dir + "/account-key.pem", key.stored(), true);
        String text = "account=" + fresh.url() + "\ndirectory=" + ca.directoryUrl() + "\n";
        store.store(dir + "/account.properties", text.getBytes(StandardCharsets.UTF_8), false);
        accounts.put(SetStore.caDirectory(ca), fresh);
        return new AccountSwap(old, fresh);
    }

    private Account newAccount(AcmeCa ca, AcmeSigner key) throws AcmeException {
        AccountRequest request = client(ca).newAccount(key);
        for (String contact : ca.contacts()) {
            request.contact(contact);
        }
        if (ca.agreeToTermsOfService()) {
            request.agreeToTermsOfService();
        }
        return request.create(); // an existing account of the key is returned as it is (RFC 8555 section 7.3.1)
    }

    /** The caller's account key (its reference stored), or the stored generated one, generated on first use. */
    private AcmeSigner accountKey(AcmeCa ca) throws IOException {
        String dir = SetStore.caDirectory(ca);
        if (ca.accountKey().isPresent()) {
            CertificateKey key = new CertificateKey(ca.accountKey().get(), null, ca.accountKeyReference().orElseThrow());
            store.store(dir + "/account-key.ref", key.stored(), false);
            return key.signer;
        }
        Optional<AcmeSigner> stored = storedAccountKey(dir, ca);
        // managers sharing a storage must share one account (an order is resumed by whoever takes a set over):
        // the key is generated once, under the storage's lock of the account's directory
        Instant deadline = clock.now().plus(ACCOUNT_LOCK_WAIT);
        while (stored.isEmpty()) {
            Optional<StorageLock> lock = store.storage().tryLock(dir);
            if (lock.isPresent()) {
                try (StorageLock held = lock.get()) {
                    stored = storedAccountKey(dir, ca);
                    if (stored.isEmpty()) {
                        CertificateKey key = CertificateKey.generate(KeySource.ecP256());
                        held.store(dir + "/account-key.pem", key.stored(), true);
                        return key.signer;
                    }
                }
            } else if (!clock.now().isBefore(deadline)) {
                throw new IOException("another manager has held the storage's lock of " + dir + " for "
                        + ACCOUNT_LOCK_WAIT.toSeconds() + " s; there is no account key to use yet");
            } else {
                try {
                    clock.sleep(Duration.ofMillis(200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while another manager creates the account key");
                }
                stored = storedAccountKey(dir, ca);
            }
        }
        return stored.get();
    }

    private Optional<AcmeSigner> storedAccountKey(String dir, AcmeCa ca) throws IOException {
        Optional<byte[]> stored = store.load(dir + "/account-key.pem");
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CertificateKey.readGenerated(stored.get()).signer);
        } catch (GeneralSecurityException e) {
            throw new IOException("the stored account key of " + ca.directoryUrl() + " cannot be read", e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(AcmeClient::close);
    }
}
