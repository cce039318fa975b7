package dev.keyward.acme;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Containment} run found and did, item by item, failures included: authorization
 * deactivations (RFC 8555 section 7.5.2), revocations (7.6), the key rollover (7.3.5) or account
 * deactivation (7.3.6). Immutable.
 *
 * <p>{@link #complete()} says whether the containment is over; {@link #succeeded()} only that
 * nothing failed. {@link #unrevokedCertificates()} lists the certificates a requested revocation
 * left unrevoked: once the account is deactivated, each can be revoked only with its own key
 * (RFC 8555 section 7.6).
 */
public final class ContainmentReport {
    /** What an item is about. */
    public enum Step {
        /** Finding the account of the key (RFC 8555 section 7.3.1). */
        ACCOUNT_LOOKUP,
        /** Listing the account's orders (section 7.1.2.1). */
        ORDERS_LIST,
        /** Fetching one order. */
        ORDER,
        /** Deactivating one authorization (section 7.5.2). */
        AUTHORIZATION_DEACTIVATION,
        /** Revoking one certificate (section 7.6). */
        CERTIFICATE_REVOCATION,
        /** Rolling the account key over (section 7.3.5). */
        KEY_ROLLOVER,
        /** Deactivating the account (section 7.3.6). */
        ACCOUNT_DEACTIVATION
    }

    /** How an item ended. */
    public enum Outcome {
        /** This run did it. */
        DONE,
        /** It was done before (by an earlier run, or otherwise): counts as success. */
        ALREADY_DONE,
        /** Nothing to do (for example an expired certificate, an invalid authorization). */
        NOT_NEEDED,
        /** It failed; {@link Item#detail()} says why. */
        FAILED,
        /** Not attempted: held back because an earlier step is incomplete; {@link Item#detail()} says which. */
        NOT_DONE,
        /** Could not be checked (for example revocations once the account is deactivated): not done as far as is known. */
        UNKNOWN
    }

    /**
     * A certificate a requested revocation left unrevoked (or could not check). Revoke it with
     * its own key (RFC 8555 section 7.6), for example {@code keyward revoke --cert FILE --cert-key KEYFILE}.
     * Immutable.
     */
    public static final class UnrevokedCertificate {
        private final URI url;
        private final String serial;
        private final String reason;

        UnrevokedCertificate(URI url, String serial, String reason) {
            this.url = Objects.requireNonNull(url, "url");
            this.serial = serial;
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        /** @return the certificate's URL at the CA */
        public URI url() {
            return url;
        }

        /** @return the serial number in hexadecimal, when the certificate could be downloaded */
        public Optional<String> serial() {
            return Optional.ofNullable(serial);
        }

        /** @return why it is not revoked */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            return url + (serial == null ? "" : " serial " + serial) + ": " + reason;
        }
    }

    /** One thing found or done. Immutable. */
    public static final class Item {
        private final Step step;
        private final URI target;
        private final Outcome outcome;
        private final String detail;
        private final Problem problem;

        Item(Step step, URI target, Outcome outcome, String detail, Problem problem) {
            this.step = step;
            this.target = target;
            this.outcome = outcome;
            this.detail = detail;
            this.problem = problem;
        }

        /** @return the step */
        public Step step() {
            return step;
        }

        /** @return the URL of the resource concerned, if any */
        public Optional<URI> target() {
            return Optional.ofNullable(target);
        }

        /** @return the outcome */
        public Outcome outcome() {
            return outcome;
        }

        /** @return a short explanation */
        public String detail() {
            return detail;
        }

        /** @return the CA's problem document, for a failure the CA reported */
        public Optional<Problem> problem() {
            return Optional.ofNullable(problem);
        }

        @Override
        public String toString() {
            return outcome + " " + step + (target == null ? "" : " " + target) + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final List<Item> items;
    private final Account account;
    private final List<UnrevokedCertificate> unrevoked;
    private final boolean allCertificatesKnown;

    ContainmentReport(List<Item> items, Account account, List<UnrevokedCertificate> unrevoked,
            boolean allCertificatesKnown) {
        this.items = List.copyOf(items);
        this.account = account;
        this.unrevoked = List.copyOf(unrevoked);
        this.allCertificatesKnown = allCertificatesKnown;
    }

    /** @return every item, in the order the run met them */
    public List<Item> items() {
        return items;
    }

    /**
     * The items of one step.
     *
     * @param step the step
     * @return its items
     */
    public List<Item> items(Step step) {
        Objects.requireNonNull(step, "step");
        return items.stream().filter(i -> i.step == step).toList();
    }

    /** @return whether no item failed (items held back or unknown do not count as failures: see {@link #complete()}) */
    public boolean succeeded() {
        return items.stream().noneMatch(i -> i.outcome == Outcome.FAILED);
    }

    /**
     * Whether the containment is over: the rollover or account deactivation is
     * {@link Outcome#DONE} or {@link Outcome#ALREADY_DONE}, and every other item is done, already
     * done or not needed (so the orders list succeeded, and every requested revocation too).
     *
     * @return whether every requested step is done
     */
    public boolean complete() {
        boolean ended = items.stream().anyMatch(i -> (i.step == Step.KEY_ROLLOVER || i.step == Step.ACCOUNT_DEACTIVATION)
                && (i.outcome == Outcome.DONE || i.outcome == Outcome.ALREADY_DONE));
        return ended && allCertificatesKnown && unrevoked.isEmpty() && incompleteItems().isEmpty();
    }

    /** @return the items that keep the report from being {@linkplain #complete() complete}: failed, held back or unknown */
    public List<Item> incompleteItems() {
        return items.stream().filter(i -> i.outcome == Outcome.FAILED || i.outcome == Outcome.NOT_DONE
                || i.outcome == Outcome.UNKNOWN).toList();
    }

    /**
     * The certificates a requested revocation left unrevoked or could not check, with their URLs
     * and (when downloaded) serials. Empty when revocation was not requested. When
     * {@link #allCertificatesKnown()} is false, there may be more.
     *
     * @return the certificates, in the order the run met them
     */
    public List<UnrevokedCertificate> unrevokedCertificates() {
        return unrevoked;
    }

    /**
     * Whether the run saw every certificate a requested revocation covers: false when the account
     * or its orders list or one of its orders could not be fetched (or the account is deactivated
     * already). Always true when revocation was not requested.
     *
     * @return whether {@link #unrevokedCertificates()} is the whole list
     */
    public boolean allCertificatesKnown() {
        return allCertificatesKnown;
    }

    /** @return the account as it stands after the run (bound to the new key after a rollover), when known */
    public Optional<Account> account() {
        return Optional.ofNullable(account);
    }

    /** One item a line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Item item : items) {
            sb.append(item).append('\n');
        }
        return sb.toString();
    }
}
