package dev.keyward.acme;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Containment} run found and did, item by item, failures included: authorization
 * deactivations (RFC 8555 section 7.5.2), revocations (7.6), the key rollover (7.3.5) or account
 * deactivation (7.3.6). Immutable.
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
        FAILED
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

    ContainmentReport(List<Item> items, Account account) {
        this.items = List.copyOf(items);
        this.account = account;
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

    /** @return whether no item failed */
    public boolean succeeded() {
        return items.stream().noneMatch(i -> i.outcome == Outcome.FAILED);
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
