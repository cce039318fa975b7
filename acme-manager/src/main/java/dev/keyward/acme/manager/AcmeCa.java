package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.IssuanceRequest;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA the manager orders from, by its directory URL (RFC 8555 section 7.1.1), with the account
 * habits to use there. The manager keeps one account per CA (section 7.3), created on first use
 * and found again with the same key ({@code newAccount} answers an existing account), unless
 * {@linkplain Builder#ephemeralAccounts ephemeral accounts} are asked for. Immutable.
 *
 * <p>Defaults: an EC P-256 account key generated and stored by the manager, no contact, terms of
 * service not agreed, one long-lived account, authorizations left as they are, the system's trust
 * anchors, an issuance deadline of {@link IssuanceRequest#DEFAULT_DEADLINE 5 minutes}.
 */
public final class AcmeCa {
    private final URI directoryUrl;
    private final List<X509Certificate> trustAnchors;
    private final String accountKeyReference;
    private final AcmeSigner accountKey;
    private final List<String> contacts;
    private final boolean agreeToTermsOfService;
    private final boolean ephemeralAccounts;
    private final boolean deactivateAuthorizations;
    private final Duration issuanceDeadline;
    private final boolean allowPlainHttp;
    private final String accountName;

    private AcmeCa(Builder b) {
        this.directoryUrl = b.directoryUrl;
        this.trustAnchors = List.copyOf(b.trustAnchors);
        this.accountKeyReference = b.accountKeyReference;
        this.accountKey = b.accountKey;
        this.contacts = List.copyOf(b.contacts);
        this.agreeToTermsOfService = b.agreeToTermsOfService;
        this.ephemeralAccounts = b.ephemeralAccounts;
        this.deactivateAuthorizations = b.deactivateAuthorizations;
        this.issuanceDeadline = b.issuanceDeadline;
        this.allowPlainHttp = b.allowPlainHttp;
        this.accountName = b.accountName;
    }

    /**
     * A builder for the CA with this directory URL.
     *
     * @param directoryUrl the directory URL, {@code https}
     * @return a builder
     */
    public static Builder builder(URI directoryUrl) {
        return new Builder(directoryUrl);
    }

    /** @return the directory URL */
    public URI directoryUrl() {
        return directoryUrl;
    }

    /** @return the extra trust anchors of the CA's TLS */
    public List<X509Certificate> trustAnchors() {
        return trustAnchors;
    }

    /** @return the caller's account key, empty when the manager generates and stores one */
    public Optional<AcmeSigner> accountKey() {
        return Optional.ofNullable(accountKey);
    }

    /** @return the reference stored for the caller's account key, if one was given */
    public Optional<String> accountKeyReference() {
        return Optional.ofNullable(accountKeyReference);
    }

    /** @return the account's contact URLs */
    public List<String> contacts() {
        return contacts;
    }

    /** @return whether the CA's terms of service are agreed to when the account is created */
    public boolean agreeToTermsOfService() {
        return agreeToTermsOfService;
    }

    /** @return whether every order uses a new account, deactivated after the issuance */
    public boolean ephemeralAccounts() {
        return ephemeralAccounts;
    }

    /** @return whether authorizations are deactivated after each issuance (RFC 8555 section 7.5.2) */
    public boolean deactivateAuthorizations() {
        return deactivateAuthorizations;
    }

    /** @return the deadline of one issuance */
    public Duration issuanceDeadline() {
        return issuanceDeadline;
    }

    boolean allowPlainHttp() {
        return allowPlainHttp;
    }

    /**
     * @return the account's local name: the storage keeps the account under {@code accounts/NAME/};
     *     empty (the default) keeps it under a name made from the directory URL
     */
    public Optional<String> accountName() {
        return Optional.ofNullable(accountName);
    }

    @Override
    public String toString() {
        return "AcmeCa{" + directoryUrl + (accountName == null ? "" : ", account " + accountName)
                + (ephemeralAccounts ? ", ephemeral accounts" : "") + "}";
    }

    /** Builds an {@link AcmeCa}; each setter checks its argument at once. */
    public static final class Builder {
        private final URI directoryUrl;
        private final List<X509Certificate> trustAnchors = new ArrayList<>();
        private String accountKeyReference;
        private AcmeSigner accountKey;
        private final List<String> contacts = new ArrayList<>();
        private boolean agreeToTermsOfService;
        private boolean ephemeralAccounts;
        private boolean deactivateAuthorizations;
        private Duration issuanceDeadline = IssuanceRequest.DEFAULT_DEADLINE;
        private boolean allowPlainHttp;
        private String accountName;

        private Builder(URI directoryUrl) {
            Objects.requireNonNull(directoryUrl, "directoryUrl");
            if (!directoryUrl.isAbsolute() || directoryUrl.getHost() == null) {
                throw new IllegalArgumentException("directory URL must be absolute: " + directoryUrl);
            }
            this.directoryUrl = directoryUrl;
        }

        /**
         * A local name (label) for this CA's account, so that the account is named, backed up and
         * handed over by that name: the storage keeps it under {@code accounts/NAME/} (key, URL,
         * directory URL), as the CLI's {@code --account NAME} names its accounts. Default: none, a
         * name made from the directory URL's host, port and a digest of the URL.
         *
         * @param name 1-64 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit
         * @return this builder
         * @throws IllegalArgumentException for another name
         */
        public Builder accountName(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("an account name must be 1-64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit");
            }
            this.accountName = name;
            return this;
        }

        /**
         * Extra CA certificates to trust for the CA's TLS (default: none, the system's only).
         *
         * @param anchors the certificates
         * @return this builder
         */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            for (X509Certificate anchor : anchors) {
                trustAnchors.add(Objects.requireNonNull(anchor, "anchor"));
            }
            return this;
        }

        /**
         * The account key, for a key in an HSM or KMS (default: an EC P-256 key the manager
         * generates and stores). The storage records the reference, never key material.
         *
         * @param reference the caller's name for the key
         * @param signer the key's signer
         * @return this builder
         */
        public Builder accountKey(String reference, AcmeSigner signer) {
            this.accountKeyReference = KeySource.external(reference, signer).reference().orElseThrow();
            this.accountKey = signer;
            return this;
        }

        /**
         * Adds a contact URL of the account (section 7.3), for example {@code mailto:admin@example.com}.
         *
         * @param contact the URL
         * @return this builder
         */
        public Builder contact(String contact) {
            contacts.add(Objects.requireNonNull(contact, "contact"));
            return this;
        }

        /**
         * Agrees to the CA's terms of service when the account is created (default: not sent;
         * most CAs require it).
         *
         * @return this builder
         */
        public Builder agreeToTermsOfService() {
            this.agreeToTermsOfService = true;
            return this;
        }

        /**
         * Uses a new account with a new key for every order and deactivates it afterwards
         * (section 7.3.6), so no long-lived account key can be stolen (default false). A
         * certificate is then revoked with its own key.
         *
         * @param value whether to
         * @return this builder
         */
        public Builder ephemeralAccounts(boolean value) {
            this.ephemeralAccounts = value;
            return this;
        }

        /**
         * Deactivates the order's authorizations after each issuance (section 7.5.2), so a stolen
         * account key cannot reuse them (default false).
         *
         * @param value whether to
         * @return this builder
         */
        public Builder deactivateAuthorizations(boolean value) {
            this.deactivateAuthorizations = value;
            return this;
        }

        /**
         * The deadline of one issuance, every request and wait included (default
         * {@link IssuanceRequest#DEFAULT_DEADLINE}, 5 minutes).
         *
         * @param deadline positive, at most one day
         * @return this builder
         */
        public Builder issuanceDeadline(Duration deadline) {
            IssuanceRequest.builder().deadline(deadline);
            this.issuanceDeadline = deadline;
            return this;
        }

        /**
         * Allows an {@code http://} directory URL (default refused; RFC 8555 section 6.1), for a
         * local test CA only.
         *
         * @param allow whether to allow it
         * @return this builder
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * Builds the CA.
         *
         * @return the CA
         */
        public AcmeCa build() {
            return new AcmeCa(this);
        }
    }
}
