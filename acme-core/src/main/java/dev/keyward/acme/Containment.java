package dev.keyward.acme;

import dev.keyward.acme.ContainmentReport.Item;
import dev.keyward.acme.ContainmentReport.Outcome;
import dev.keyward.acme.ContainmentReport.Step;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One call for a suspected account key compromise. Whoever holds an ACME account key can issue for
 * every identifier with a still-valid authorization, list the account's orders and revoke its
 * certificates. {@link #run()} takes all of that away:
 * <ol>
 *   <li>finds the account of the key (RFC 8555 section 7.3.1);</li>
 *   <li>lists its orders (section 7.1.2.1) and deactivates every authorization still
 *       {@code valid} or {@code pending} (section 7.5.2);</li>
 *   <li>optionally revokes every unexpired certificate of those orders (section 7.6);</li>
 *   <li>then either rolls the key over to a new signer (section 7.3.5) or deactivates the
 *       account (section 7.3.6).</li>
 * </ol>
 * Failures are listed in the {@link ContainmentReport}, never abort the run, and the last step is
 * attempted whatever happened before. Running it again is safe: authorizations deactivated and
 * certificates revoked already count as {@link Outcome#ALREADY_DONE}; a rollover done already is
 * recognised (the old key is refused, the new key finds the same account) and the run carries on
 * with the new key; an account the CA already refuses for deactivation counts as done.
 *
 * <p>Immutable once {@linkplain Builder#build() built}: every {@link #run()} starts afresh, and its
 * report holds only what that run found and did. Expiry of certificates is judged by the client's
 * {@link AcmeClock} ({@link AcmeClient.Builder#clock}).
 */
public final class Containment {
    private final AcmeClient client;
    private final AcmeSigner accountKey;
    private final AcmeSigner newKey;
    private final boolean revokeCertificates;
    private final RevocationReason reason;
    private final AcmeClock clock;

    private Containment(Builder b) {
        this.client = b.client;
        this.accountKey = b.accountKey;
        this.newKey = b.newKey;
        this.revokeCertificates = b.revokeCertificates;
        this.reason = b.reason;
        this.clock = b.client.clock();
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

    /** The state of one {@link #run()}: each run starts with no items. */
    private final class Run {
        private final List<Item> items = new ArrayList<>();

        ContainmentReport execute() {
            Account account = lookUp();
            if (account == null) {
                return new ContainmentReport(items, null);
            }
            boolean rolledAlready = account.signer() != accountKey;
            List<URI> orderUrls = listOrders(account);
            Set<URI> authorizations = new LinkedHashSet<>();
            List<Order> withCertificates = new ArrayList<>();
            for (URI orderUrl : orderUrls) {
                try {
                    Order order = account.fetchOrder(orderUrl);
                    authorizations.addAll(order.authorizationUrls());
                    if (order.certificateUrl().isPresent()) {
                        withCertificates.add(order);
                    }
                } catch (AcmeException | AcmeProtocolException e) {
                    failed(Step.ORDER, orderUrl, e);
                }
            }
            for (URI authorizationUrl : authorizations) {
                deactivateAuthorization(account, authorizationUrl);
            }
            if (revokeCertificates) {
                for (Order order : withCertificates) {
                    revoke(account, order);
                }
            }
            Account after = account;
            if (newKey != null && !rolledAlready) {
                after = rollOver(account);
            } else if (newKey == null) {
                after = deactivate(account);
            }
            return new ContainmentReport(items, after);
        }

        private Account lookUp() {
            try {
                Account account = client.findAccount(accountKey);
                items.add(new Item(Step.ACCOUNT_LOOKUP, account.url(), Outcome.DONE, "status " + account.rawStatus(),
                        null));
                return account;
            } catch (AcmeServerException e) {
                if (newKey != null) {
                    try {
                        Account rolled = client.findAccount(newKey);
                        items.add(new Item(Step.ACCOUNT_LOOKUP, rolled.url(), Outcome.DONE,
                                "the old key is refused; the new key finds the account", null));
                        items.add(new Item(Step.KEY_ROLLOVER, rolled.url(), Outcome.ALREADY_DONE,
                                "the account uses the new key already", null));
                        return rolled;
                    } catch (AcmeException | AcmeProtocolException ignored) {
                        // Neither key finds an account: report the original refusal.
                    }
                } else if (e instanceof AcmeUnauthorizedException) {
                    items.add(new Item(Step.ACCOUNT_DEACTIVATION, null, Outcome.ALREADY_DONE,
                            "the CA refuses the key's account: " + e.problem().detail().orElse("unauthorized"),
                            e.problem()));
                    return null;
                }
                failed(Step.ACCOUNT_LOOKUP, null, e);
                return null;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ACCOUNT_LOOKUP, null, e);
                return null;
            }
        }

        private List<URI> listOrders(Account account) {
            try {
                List<URI> urls = account.fetchOrderUrls();
                items.add(new Item(Step.ORDERS_LIST, account.ordersUrl().orElse(null), Outcome.DONE,
                        urls.size() + " orders", null));
                return urls;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ORDERS_LIST, account.ordersUrl().orElse(null), e);
                return List.of();
            }
        }

        private void deactivateAuthorization(Account account, URI url) {
            try {
                Authorization authorization = account.fetchAuthorization(url);
                Status status = authorization.status();
                if (status == Status.DEACTIVATED) {
                    items.add(new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.ALREADY_DONE,
                            authorization.identifier().value(), null));
                } else if (status == Status.VALID || status == Status.PENDING) {
                    Authorization after = authorization.deactivate();
                    items.add(new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.DONE,
                            authorization.identifier().value() + " was " + authorization.rawStatus() + ", now "
                                    + after.rawStatus(), null));
                } else {
                    items.add(new Item(Step.AUTHORIZATION_DEACTIVATION, url, Outcome.NOT_NEEDED,
                            authorization.identifier().value() + " is " + authorization.rawStatus(), null));
                }
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.AUTHORIZATION_DEACTIVATION, url, e);
            }
        }

        private void revoke(Account account, Order order) {
            URI certificateUrl = order.certificateUrl().orElseThrow();
            try {
                X509Certificate leaf = order.downloadCertificate().leaf();
                String serial = leaf.getSerialNumber().toString(16);
                if (leaf.getNotAfter().toInstant().isBefore(clock.now())) {
                    items.add(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.NOT_NEEDED,
                            "serial " + serial + " has expired", null));
                    return;
                }
                try {
                    account.revoke(leaf, reason);
                    items.add(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.DONE, "serial " + serial,
                            null));
                } catch (AcmeAlreadyRevokedException e) {
                    items.add(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.ALREADY_DONE,
                            "serial " + serial, e.problem()));
                }
            } catch (AcmeServerException e) {
                if (e.problem().status().orElse(0) == 404) {
                    items.add(new Item(Step.CERTIFICATE_REVOCATION, certificateUrl, Outcome.NOT_NEEDED,
                            "the CA no longer serves the certificate (Pebble removes revoked ones)", e.problem()));
                } else {
                    failed(Step.CERTIFICATE_REVOCATION, certificateUrl, e);
                }
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.CERTIFICATE_REVOCATION, certificateUrl, e);
            }
        }

        private Account rollOver(Account account) {
            try {
                Account rolled = account.changeKey(newKey);
                items.add(new Item(Step.KEY_ROLLOVER, account.url(), Outcome.DONE, "the old key is now refused", null));
                return rolled;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.KEY_ROLLOVER, account.url(), e);
                return account;
            }
        }

        private Account deactivate(Account account) {
            try {
                Account deactivated = account.deactivate();
                items.add(new Item(Step.ACCOUNT_DEACTIVATION, account.url(), Outcome.DONE, "status "
                        + deactivated.rawStatus(), null));
                return deactivated;
            } catch (AcmeException | AcmeProtocolException e) {
                failed(Step.ACCOUNT_DEACTIVATION, account.url(), e);
                return account;
            }
        }

        private void failed(Step step, URI target, Exception e) {
            Problem problem = e instanceof AcmeServerException ? ((AcmeServerException) e).problem() : null;
            items.add(new Item(step, target, Outcome.FAILED, e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage(), problem));
        }
    }

    /** Builds a {@link Containment}; choose exactly one of {@link #rolloverTo} and {@link #deactivateAccount()}. */
    public static final class Builder {
        private final AcmeClient client;
        private final AcmeSigner accountKey;
        private AcmeSigner newKey;
        private boolean deactivate;
        private boolean revokeCertificates;
        private RevocationReason reason;

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
