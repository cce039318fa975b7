package dev.keyward.acme;

import dev.keyward.acme.ContainmentReport.Item;
import dev.keyward.acme.ContainmentReport.Outcome;
import dev.keyward.acme.ContainmentReport.Step;
import dev.keyward.acme.ContainmentReport.UnrevokedCertificate;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One call for a suspected account key compromise. Whoever holds an ACME account key can issue for
 * every identifier with a still-valid authorization, list the account's orders and revoke its
 * certificates. {@link #run()} takes all of that away:
 * <ol>
 *   <li>finds the account of the key (RFC 8555 section 7.3.1);</li>
 *   <li>lists its orders (section 7.1.2.1) and fetches each;</li>
 *   <li>optionally revokes every unexpired certificate of those orders (section 7.6);</li>
 *   <li>deactivates every authorization of those orders still {@code valid} or {@code pending}
 *       (section 7.5.2): one request each, the deactivation itself, unless the CA refuses it (the
 *       authorization is then fetched, to report how it stands);</li>
 *   <li>then either rolls the key over to a new signer (section 7.3.5) or deactivates the
 *       account (section 7.3.6).</li>
 * </ol>
 * Steps 2 to 4 send their requests {@linkplain Builder#concurrency concurrently} (8 at a time by
 * default), one step after the other; the whole run ends by one {@linkplain Builder#deadline
 * deadline}. Failures are listed in the {@link ContainmentReport} and never abort the run. The last step
 * (rollover or deactivation) is <em>held back</em> ({@link Outcome#NOT_DONE}) when the orders list
 * or an order could not be fetched, or a requested revocation did not succeed: a deactivated
 * account can no longer revoke anything, and its certificates could then be revoked only with
 * their own keys. {@link Builder#endEvenIfIncomplete(boolean)} runs the last step anyway; the
 * report then lists what is left ({@link ContainmentReport#unrevokedCertificates()}).
 * {@link ContainmentReport#complete()} is true only when every requested step is done.
 *
 * <p>Running it again is safe: authorizations deactivated and certificates revoked already count
 * as {@link Outcome#ALREADY_DONE}; a rollover done already is recognised (the old key is refused,
 * the new key finds the same account) and the run carries on with the new key. An account the CA
 * refuses ({@code unauthorized}) when deactivation was asked for counts as deactivated, and only
 * that: revocations it can no longer check are {@link Outcome#UNKNOWN} and the report is not
 * complete.
 *
 * <p>Limit: a CA may leave invalid orders out of the orders list (RFC 8555 section 7.1.2.1), and
 * Pebble 2.10 makes an order invalid as soon as one of its authorizations is deactivated. So a run
 * interrupted while deactivating an order's authorizations leaves that order, and its other
 * authorizations, invisible to the next run. That is why certificates are revoked before any
 * authorization is deactivated, and why a {@link Listener} sees every order and every item as it
 * happens: a caller that records them knows what the next run cannot see.
 *
 * <p>Immutable once {@linkplain Builder#build() built}: every {@link #run()} starts afresh, and its
 * report holds only what that run found and did. Expiry of certificates is judged by the client's
 * {@link AcmeClock} ({@link AcmeClient.Builder#clock}).
 */
public final class Containment {
    /** The default number of requests a run sends at once: 8. */
    public static final int DEFAULT_CONCURRENCY = 8;
    /** The most requests a run may send at once: 64. */
    public static final int MAX_CONCURRENCY = 64;
    /** The default deadline of a whole run: 10 minutes. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

    private final AcmeClient client;
    private final AcmeSigner accountKey;
    private final AcmeSigner newKey;
    private final boolean revokeCertificates;
    private final RevocationReason reason;
    private final boolean endEvenIfIncomplete;
    private final Listener listener;
    private final AcmeClock clock;
    private final Session session;
    private final int concurrency;
    private final Duration deadline;

    /**
     * Sees a {@link Containment} run as it goes, for a caller that records progress: an
     * interrupted run returns no report. Called on the thread that called {@link #run()}, one
     * call at a time, as each request ends (so items of one step come in the order their
     * requests end, not the order of the orders list); an exception it throws ends the run at
     * once, as a crash would: requests still running are abandoned.
     */
    public interface Listener {
        /**
         * An order was fetched, before anything is changed.
         *
         * @param order the order
         */
        default void orderFound(Order order) {
        }

        /**
         * An item was added to the report.
         *
         * @param item the item
         */
        default void itemAdded(Item item) {
        }
    }

    private Containment(Builder b) {
        this.client = b.client;
        this.accountKey = b.accountKey;
        this.newKey = b.newKey;
        this.revokeCertificates = b.revokeCertificates;
        this.reason = b.reason;
        this.endEvenIfIncomplete = b.endEvenIfIncomplete;
        this.listener = b.listener;
        this.clock = b.client.clock();
        this.session = b.client.session();
        this.concurrency = b.concurrency;
        this.deadline = b.deadline;
    }

    /**
     * A builder for the account of a key.
     *
     * @param client the client of the CA
     * @param accountKey the signer of the (suspected compromised) account key
     * @return the builder
     */
    public static Builder builder(AcmeClient client, AcmeSigner accountKey) {
        return new Builder(client, accountKey);
    }

    /**
     * Runs the containment. Never throws for what the CA refuses or a network failure: those are
     * items of the report.
     *
     * @return the report
     */
    public ContainmentReport run() {
        return new Run().execute();
    }

    /**
     * The state of one {@link #run()}: each run starts with no items. The report's state is
     * changed on the running thread only; the pool's tasks send requests and return what they
     * found, which the running thread adds as each task ends.
     */
    private final class Run {
        private final List<Item> items = new ArrayList<>();
        private final List<UnrevokedCertificate> unrevoked = new ArrayList<>();
        private final List<String> incomplete = new ArrayList<>();
        private final Instant deadline = clock.now().plus(Containment.this.deadline);
        private boolean allCertificatesKnown = true;

        ContainmentReport execute() {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency, Containment::daemon);
            try {
                return execute(pool);
            } finally {
                pool.shutdownNow();
            }
        }

        private ContainmentReport execute(ExecutorService pool) {
            Account account = within(this::lookUp);
            if (account == null) {
                return report(null);
            }
            boolean rolledAlready = account.signer() != accountKey;
            List<URI> orderUrls = within(() -> listOrders(account));
            List<Order> orders = new ArrayList<>();
            inParallel(pool, orderUrls, Step.ORDER, url -> fetchOrder(account, url), found -> {
                if (found.order != null) {
                    orders.add(found.order);
                    listener.orderFound(found.order);
                } else {
                    markOrderUnfetched(found.url);
                    add(found.item);
                }
            }, (url, why) -> markOrderUnfetched(url));
            if (revokeCertificates) {
                List<Order> issued = new ArrayList<>();
                for (Order order : orders) {
                    if (order.certificateUrl().isPresent()) {
                        issued.add(order);
                    }
                }
                inParallel(pool, issued, Step.CERTIFICATE_REVOCATION, order -> revoke(account, order),
                        this::addRevocation, (order, why) -> markUnrevoked(order.certificateUrl().orElseThrow(), null,
                                why));
            }
            Set<URI> authorizations = new LinkedHashSet<>();
            for (Order order : orders) {
                authorizations.addAll(order.authorizationUrls());
            }
            inParallel(pool, new ArrayList<>(authorizations), Step.AUTHORIZATION_DEACTIVATION,
                    url -> deactivateAuthorization(account, url), this::add, (url, why) -> { });
            Account after = account;
            if (newKey == null || !rolledAlready) {
                Step last = newKey == null ? Step.ACCOUNT_DEACTIVATION : Step.KEY_ROLLOVER;
                if (!incomplete.isEmpty() && !endEvenIfIncomplete) {
                    add(new Item(last, account.url(), Outcome.NOT_DONE, "held back: " + String.join("; ", incomplete)
                            + (newKey == null ? "; a deactivated account can no longer revoke its certificates" : "")
                            + "; run it again, or end even if incomplete", null));
                } else {
                    after = within(() -> newKey == null ? deactivate(account) : rollOver(account));
                }
            }
            return report(after);
        }

        /** Runs one step on this thread within the run's deadline. */
        private <T> T within(java.util.function.Supplier<T> step) {
            try {
                return session.within(deadline, step::get);
            } catch (AcmeException e) {
                throw new IllegalStateException("a containment step let a checked failure through", e);
            }
        }

        /**
         * Runs {@code task} for every input on the pool, at most {@link Builder#concurrency}
         * at once, and hands each result to {@code done} on this thread as it comes in. A task
         * unfinished at the deadline is cancelled, listed as failed and handed to
         * {@code late}; a task that broke is listed as failed.
         */
        private <I, R> void inParallel(ExecutorService pool, List<I> inputs, Step step, Task<I, R> task,
                                       Consumer<R> done, BiConsumer<I, String> late) {
            if (inputs.isEmpty()) {
                return;
            }
            CompletionService<R> results = new ExecutorCompletionService<>(pool);
            Map<Future<R>, I> running = new LinkedHashMap<>();
            for (I input : inputs) {
                running.put(results.submit(() -> session.within(deadline, () -> task.run(input))), input);
            }
            try {
                while (!running.isEmpty()) {
                    Duration left = Duration.between(clock.now(), deadline);
                    Future<R> next = left.isNegative() || left.isZero() ? results.poll()
                            : results.poll(left.toNanos(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    I input = running.remove(next);
                    try {
                        done.accept(next.get());
                    } catch (ExecutionException broken) {
                        Throwable cause = broken.getCause() == null ? broken : broken.getCause();
                        Item item = failure(step, target(input), cause);
                        add(item);
                        late.accept(input, item.detail());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String why = Thread.currentThread().isInterrupted() ? "not done: the run was interrupted"
                    : "not done within the run's deadline of " + Containment.this.deadline.toMillis() + " ms";
            for (Map.Entry<Future<R>, I> left : running.entrySet()) {
                left.getKey().cancel(true);
                add(new Item(step, target(left.getValue()), Outcome.FAILED, why, null));
                late.accept(left.getValue(), why);
            }
        }

        /** The URL an input of a phase is about: itself, or an order's certificate. */
        private URI target(Object input) {
            if (input instanceof Order) {
                Order order = (Order) input;
                return order.certificateUrl().orElse(order.url());
            }
            return input instanceof URI ? (URI) input : null;
        }

        /** An order fetched, or the item saying why it could not be. */
        private final class FoundOrder {
            final URI url;
            final Order order;
            final Item item;

            FoundOrder(URI url, Order order, Item item) {
                this.url = url;
                this.order = order;
                this.item = item;
            }
        }

        private FoundOrder fetchOrder(Account account, URI orderUrl) {
            try {
                return new FoundOrder(orderUrl, account.fetchOrder(orderUrl), null);
            } catch (AcmeException | AcmeProtocolException e) {
                return new FoundOrder(orderUrl, null, failure(Step.ORDER, orderUrl, e));
            }
        }

        private void markOrderUnfetched(URI orderUrl) {
            allCertificatesKnown = false;
            incomplete.add("order " + orderUrl + " could not be fetched");
        }

        private ContainmentReport report(Account after) {
            return new ContainmentReport(items, after, unrevoked, !revokeCertificates || allCertificatesKnown);
        }

        private void add(Item item) {
            items.add(item);
            listener.itemAdded(item);
        }

        private Account lookUp() {
            try {
                Account account = client.findAccount(accountKey);
                add(new Item(Step.ACCOUNT_LOOKUP, account.url(), Outcome.DONE, "status " + account.rawStatus(), null));
                return account;
            } catch (AcmeServerException e) {
                if (newKey != null) {
                    try {
                        Account rolled = client.findAccount(newKey);
                        add(new Item(Step.ACCOUNT_LOOKUP, rolled.url(), Outcome.DONE,
                                "the old key is refused; the new key finds the account", null));
                        add(new Item(Step.KEY_ROLLOVER, rolled.url(), Outcome.ALREADY_DONE,
                                "the account uses the new key already", null));
                        return rolled;
                    } catch (AcmeException | AcmeProtocolException ignored) {
                        // Neither key finds an account: report the original refusal.
                    }
                } else if (e instanceof AcmeUnauthorizedException) {
                    add(new Item(Step.ACCOUNT_DEACTIVATION, null, Outcome.ALREADY_DONE,
                            "the CA refuses the key's account: " + e.problem().detail().orElse("unauthorized"),
                            e.problem()));
                    if (revokeCertificates) {
                        allCertificatesKnown = false;
                        add(new Item(Step.ORDERS_LIST, null, Outcome.UNKNOWN,
                                "the account is deactivated: its orders can no longer be listed", null));
                        add(new Item(Step.CERTIFICATE_REVOCATION, null, Outcome.UNKNOWN,
                                "whether the account's certificates were revoked can no longer be checked: revoke"
                                        + " each with its own key (RFC 8555 section 7.6); alreadyRevoked means done",
                                null));
                    }
                    return null;
                }
                failed(Step.ACCOUNT_LOOKUP, null, e);
                allCertificatesKnown = false;
                return null;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ACCOUNT_LOOKUP, null, e);
                allCertificatesKnown = false;
                return null;
            }
        }

        private List<URI> listOrders(Account account) {
            try {
                List<URI> urls = account.fetchOrderUrls();
                add(new Item(Step.ORDERS_LIST, account.ordersUrl().orElse(null), Outcome.DONE, urls.size() + " orders",
                        null));
                return urls;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ORDERS_LIST, account.ordersUrl().orElse(null), e);
                allCertificatesKnown = false;
                incomplete.add("the orders list failed, so the account's certificates are unknown");
                return List.of();
            }
        }

        /**
         * Deactivates one authorization; runs on the pool. One request when the authorization is
         * live, as it usually is: the deactivation is sent at once. Only when the CA refuses it is
         * the authorization fetched, to tell one deactivated already (or invalid, or expired) from
         * a refusal that leaves it usable.
         */
        private Item deactivateAuthorization(Account account, URI url) {
            try {
                Authorization after = Authorization.deactivate(account.login(), url);
                return new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.DONE, after.identifier().value()
                        + " was valid or pending, now " + after.rawStatus(), null);
            } catch (AcmeServerException refused) {
                Authorization authorization;
                try {
                    authorization = account.fetchAuthorization(url);
                } catch (AcmeException | AcmeProtocolException e) {
                    return failure(Step.AUTHORIZATION_DEACTIVATION, url, refused);
                }
                Status status = authorization.status();
                if (status == Status.DEACTIVATED) {
                    return new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.ALREADY_DONE,
                            authorization.identifier().value(), null);
                } else if (status == Status.VALID || status == Status.PENDING) {
                    return failure(Step.AUTHORIZATION_DEACTIVATION, url, refused);
                }
                return new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.NOT_NEEDED,
                        authorization.identifier().value() + " is " + authorization.rawStatus(), null);
            } catch (AcmeException | AcmeProtocolException e) {
                return failure(Step.AUTHORIZATION_DEACTIVATION, url, e);
            }
        }

        /** A revocation's item, and the serial when the certificate was downloaded. */
        private final class Revoked {
            final Item item;
            final String serial;
            final boolean revoked;

            Revoked(Item item, String serial, boolean revoked) {
                this.item = item;
                this.serial = serial;
                this.revoked = revoked;
            }
        }

        /** Downloads the order's certificate and revokes it unless it has expired; runs on the pool. */
        private Revoked revoke(Account account, Order order) {
            URI certificateUrl = order.certificateUrl().orElseThrow();
            String serial = null;
            try {
                X509Certificate leaf = order.downloadCertificate().leaf();
                serial = leaf.getSerialNumber().toString(16);
                if (leaf.getNotAfter().toInstant().isBefore(clock.now())) {
                    return new Revoked(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.NOT_NEEDED,
                            "serial " + serial + " has expired", null), serial, true);
                }
                try {
                    account.revoke(leaf, reason);
                    return new Revoked(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.DONE,
                            "serial " + serial, null), serial, true);
                } catch (AcmeAlreadyRevokedException e) {
                    return new Revoked(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.ALREADY_DONE,
                            "serial " + serial, e.problem()), serial, true);
                }
            } catch (AcmeServerException e) {
                if (serial == null && e.problem().status().orElse(0) == 404) {
                    return new Revoked(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.UNKNOWN,
                            "the CA no longer serves the certificate, so it cannot be checked or revoked from here",
                            e.problem()), null, false);
                }
                return new Revoked(failure(Step.CERTIFICATE_REVOCATION, certificateUrl, e), serial, false);
            } catch (AcmeException | AcmeProtocolException e) {
                return new Revoked(failure(Step.CERTIFICATE_REVOCATION, certificateUrl, e), serial, false);
            }
        }

        private void addRevocation(Revoked revocation) {
            add(revocation.item);
            if (!revocation.revoked) {
                markUnrevoked(revocation.item.target().orElseThrow(), revocation.serial, revocation.item.detail());
            }
        }

        private void markUnrevoked(URI certificateUrl, String serial, String why) {
            unrevoked.add(new UnrevokedCertificate(certificateUrl, serial, why));
            incomplete.add("certificate " + certificateUrl + " is not revoked");
        }

        private Account rollOver(Account account) {
            try {
                Account rolled = account.changeKey(newKey);
                add(new Item(Step.KEY_ROLLOVER, account.url(), Outcome.DONE, "the old key is now refused"
                        + despite(), null));
                return rolled;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.KEY_ROLLOVER, account.url(), e);
                return account;
            }
        }

        private Account deactivate(Account account) {
            try {
                Account deactivated = account.deactivate();
                add(new Item(Step.ACCOUNT_DEACTIVATION, account.url(), Outcome.DONE, "status "
                        + deactivated.rawStatus() + despite(), null));
                return deactivated;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ACCOUNT_DEACTIVATION, account.url(), e);
                return account;
            }
        }

        private String despite() {
            return incomplete.isEmpty() ? "" : ", though " + String.join("; ", incomplete);
        }

        private void failed(Step step, URI target, Throwable e) {
            add(failure(step, target, e));
        }
    }

    /** The item of a failure: the CA's problem when it sent one, else the exception's message. */
    private static Item failure(Step step, URI target, Throwable e) {
        Problem problem = e instanceof AcmeServerException ? ((AcmeServerException) e).problem() : null;
        return new Item(step, target, Outcome.FAILED, e.getMessage() == null
                ? dev.keyward.acme.internal.Failures.crypto(e) : e.getMessage(), problem);
    }

    /** One request-sending task of a phase. */
    private interface Task<I, R> {
        R run(I input) throws AcmeException;
    }

    private static Thread daemon(Runnable work) {
        Thread thread = new Thread(work, "keyward-containment");
        thread.setDaemon(true);
        return thread;
    }

    /** Builds a {@link Containment}; choose exactly one of {@link #rolloverTo} and {@link #deactivateAccount()}. */
    public static final class Builder {
        private final AcmeClient client;
        private final AcmeSigner accountKey;
        private AcmeSigner newKey;
        private boolean deactivate;
        private boolean revokeCertificates;
        private RevocationReason reason;
        private boolean endEvenIfIncomplete;
        private Listener listener = new Listener() { };
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration deadline = DEFAULT_DEADLINE;

        private Builder(AcmeClient client, AcmeSigner accountKey) {
            this.client = Objects.requireNonNull(client, "client");
            this.accountKey = Objects.requireNonNull(accountKey, "accountKey");
        }

        /**
         * Ends by rolling the account over to this key (section 7.3.5).
         *
         * @param key the new key's signer
         * @return this builder
         */
        public Builder rolloverTo(AcmeSigner key) {
            this.newKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Ends by deactivating the account (section 7.3.6).
         *
         * @return this builder
         */
        public Builder deactivateAccount() {
            this.deactivate = true;
            return this;
        }

        /**
         * Also revokes every unexpired certificate of the account's orders (section 7.6), with
         * this reason ({@code null} sends none). Off by default.
         *
         * @param reason the RFC 5280 reason, or {@code null}
         * @return this builder
         */
        public Builder revokeCertificates(RevocationReason reason) {
            this.revokeCertificates = true;
            this.reason = reason;
            return this;
        }

        /**
         * Whether the last step (rollover or account deactivation) runs even when the orders list
         * or an order could not be fetched or a requested revocation did not succeed. Off by
         * default: the last step is then held back, since after deactivation the account can no
         * longer revoke, and the certificates left can be revoked only with their own keys (the
         * report lists them). Turn it on to accept that loss, for example when locking out the
         * stolen key matters more.
         *
         * @param accept whether to end anyway
         * @return this builder
         */
        public Builder endEvenIfIncomplete(boolean accept) {
            this.endEvenIfIncomplete = accept;
            return this;
        }

        /**
         * How many requests the run sends at once while it fetches the orders, revokes the
         * certificates and deactivates the authorizations (default
         * {@value Containment#DEFAULT_CONCURRENCY}): each of those steps is one independent request
         * (or two) per order, so an account with hundreds of orders is contained in seconds, not
         * minutes. The lookup, the orders list and the last step run alone, in order. 1 sends one
         * request at a time.
         *
         * @param requests from 1 to {@value Containment#MAX_CONCURRENCY}
         * @return this builder
         * @throws IllegalArgumentException outside that range
         */
        public Builder concurrency(int requests) {
            if (requests < 1 || requests > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("concurrency must be between 1 and " + MAX_CONCURRENCY + ", was "
                        + requests);
            }
            this.concurrency = requests;
            return this;
        }

        /**
         * The deadline of the whole run, from its start (default 10 minutes). Every request,
         * with its retries, ends by then; what is not done by then is listed as
         * {@link Outcome#FAILED} ("not done within the run's deadline"), so a run cut short is
         * never {@linkplain ContainmentReport#complete() complete}.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder deadline(Duration value) {
            Objects.requireNonNull(value, "deadline");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, was " + value);
            }
            this.deadline = value;
            return this;
        }

        /**
         * Sees the run as it goes (none by default).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the containment. Sends nothing.
         *
         * @return the containment
         * @throws IllegalStateException unless exactly one of rollover and deactivation was chosen
         */
        public Containment build() {
            if ((newKey == null) == !deactivate) {
                throw new IllegalStateException("choose exactly one of rolloverTo(key) and deactivateAccount()");
            }
            return new Containment(this);
        }
    }
}
