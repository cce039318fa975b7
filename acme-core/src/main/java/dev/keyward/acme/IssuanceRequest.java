package dev.keyward.acme;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the issuance flow needs to get one certificate (RFC 8555 section 7.4): the
 * identifiers, the certificate key or a caller's CSR, the challenge solvers in order of
 * preference, and the options. Immutable; build with {@link #builder()}, run with
 * {@link Account#issue(IssuanceRequest)}.
 *
 * <pre>{@code
 * IssuanceResult result = account.issue(IssuanceRequest.builder()
 *         .domains("example.com", "www.example.com")
 *         .certificateKey(certificateKey)
 *         .solvers(http01Server)
 *         .build());
 * }</pre>
 *
 * <p>Defaults: no profile, no {@code replaces}, no notBefore/notAfter, a deadline of {@link #DEFAULT_DEADLINE 5 minutes} for the
 * whole issuance, authorizations left as they are after download, no listener, a new order.
 */
public final class IssuanceRequest {
    /** The default deadline of a whole issuance. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

    private final List<Identifier> identifiers;
    private final AcmeSigner certificateKey;
    private final Csr csr;
    private final List<ChallengeSolver> solvers;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Duration deadline;
    private final boolean deactivateAuthorizations;
    private final IssuanceListener listener;
    private final URI resumeOrder;
    private final String profile;
    private final String replaces;
    private final String preferredChain;

    private IssuanceRequest(Builder b) {
        this.preferredChain = b.preferredChain;
        this.profile = b.profile;
        this.replaces = b.replaces;
        this.identifiers = List.copyOf(b.identifiers);
        this.certificateKey = b.certificateKey;
        this.csr = b.csr;
        this.solvers = List.copyOf(b.solvers);
        this.notBefore = b.notBefore;
        this.notAfter = b.notAfter;
        this.deadline = b.deadline;
        this.deactivateAuthorizations = b.deactivateAuthorizations;
        this.listener = b.listener;
        this.resumeOrder = b.resumeOrder;
    }

    /**
     * A new builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this request's values, to derive another.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.identifiers.addAll(identifiers);
        b.certificateKey = certificateKey;
        b.csr = csr;
        b.solvers.addAll(solvers);
        b.notBefore = notBefore;
        b.notAfter = notAfter;
        b.deadline = deadline;
        b.deactivateAuthorizations = deactivateAuthorizations;
        b.listener = listener;
        b.resumeOrder = resumeOrder;
        b.profile = profile;
        b.replaces = replaces;
        b.preferredChain = preferredChain;
        return b;
    }

    /** @return the identifiers to certify, in the order given */
    public List<Identifier> identifiers() {
        return identifiers;
    }

    /** @return the signer of the key to certify, unless a CSR was given */
    public Optional<AcmeSigner> certificateKey() {
        return Optional.ofNullable(certificateKey);
    }

    /** @return the caller's CSR, unless a certificate key was given */
    public Optional<Csr> csr() {
        return Optional.ofNullable(csr);
    }

    /** @return the solvers, in order of preference */
    public List<ChallengeSolver> solvers() {
        return solvers;
    }

    /** @return the requested start of validity (section 7.4), if any */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    /** @return the requested end of validity (section 7.4), if any */
    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    /** @return the deadline of the whole issuance, from the call */
    public Duration deadline() {
        return deadline;
    }

    /** @return whether the authorizations are deactivated once the certificate is downloaded */
    public boolean deactivateAuthorizations() {
        return deactivateAuthorizations;
    }

    /** @return the listener */
    public IssuanceListener listener() {
        return listener;
    }

    /** @return the certificate profile to ask for (draft-ietf-acme-profiles), if any */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** @return the ARI identifier of the certificate the new one replaces (RFC 9773 section 5), if any */
    public Optional<String> replaces() {
        return Optional.ofNullable(replaces);
    }

    /** @return the issuer the returned chain should lead to ({@link CertificateChain#chainsTo}), if any */
    public Optional<String> preferredChain() {
        return Optional.ofNullable(preferredChain);
    }

    /** @return the URL of an order to resume instead of creating one */
    public Optional<URI> resumeOrder() {
        return Optional.ofNullable(resumeOrder);
    }

    /** @return the public key the certificate must certify */
    java.security.PublicKey publicKey() {
        return certificateKey != null ? certificateKey.publicKey() : csr.publicKey();
    }

    @Override
    public String toString() {
        return "IssuanceRequest{" + identifiers + (csr != null ? ", CSR" : ", key " + certificateKey.algorithm())
                + ", solvers " + solvers.size() + (resumeOrder != null ? ", resume " + resumeOrder : "") + "}";
    }

    /** Builds an {@link IssuanceRequest}; each setter checks its argument at once. */
    public static final class Builder {
        private final Set<Identifier> identifiers = new LinkedHashSet<>();
        private AcmeSigner certificateKey;
        private Csr csr;
        private final List<ChallengeSolver> solvers = new ArrayList<>();
        private Instant notBefore;
        private Instant notAfter;
        private Duration deadline = DEFAULT_DEADLINE;
        private boolean deactivateAuthorizations;
        private IssuanceListener listener = IssuanceListener.NONE;
        private URI resumeOrder;
        private String profile;
        private String replaces;
        private String preferredChain;

        private Builder() {
        }

        /**
         * Prefers the chain that leads to this issuer (RFC 8555 section 7.4.2: the CA's default
         * chain and its {@code Link: rel="alternate"} chains), matched by
         * {@link CertificateChain#chainsTo(String)}: the common name or key identifier of the root
         * or top intermediate. The default chain is returned when none matches; alternates are
         * downloaded only when the default does not match. Default: the CA's default chain.
         *
         * @param issuer for example {@code ISRG Root X1}
         * @return this builder
         */
        public Builder preferredChain(String issuer) {
            Objects.requireNonNull(issuer, "issuer");
            if (issuer.isBlank()) {
                throw new IllegalArgumentException("a preferred chain's issuer must not be blank");
            }
            this.preferredChain = issuer;
            return this;
        }

        /**
         * Asks for a certificate profile the CA lists (draft-ietf-acme-profiles section 4), for
         * example Let's Encrypt's {@code shortlived} or {@code tlsserver}. A profile the CA does
         * not list is refused with {@link AcmeInvalidProfileException} before the order is sent.
         * Default: none (the CA's default profile).
         *
         * @param name the profile name
         * @return this builder
         */
        public Builder profile(String name) {
            Objects.requireNonNull(name, "profile");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a profile name must not be blank");
            }
            this.profile = name;
            return this;
        }

        /**
         * Says the new certificate replaces this one (RFC 9773 section 5: {@code replaces} on
         * newOrder), so the CA can exempt the renewal from rate limits and track it. When the CA
         * refuses it ({@code alreadyReplaced}, or a CA that does not take {@code replaces}), the
         * order is sent once more without it. Default: none.
         *
         * @param certificate the certificate being renewed; it must carry an Authority Key Identifier
         * @return this builder
         * @throws IllegalArgumentException if the certificate has no Authority Key Identifier
         */
        public Builder replaces(java.security.cert.X509Certificate certificate) {
            this.replaces = RenewalInfo.certificateId(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        /**
         * Adds {@code dns} identifiers; a name starting with {@code *.} is a wildcard.
         *
         * @param domains the names
         * @return this builder
         * @throws IllegalArgumentException if a name is not a valid domain name
         */
        public Builder domains(String... domains) {
            for (String domain : domains) {
                identifiers.add(Identifier.dns(domain));
            }
            return this;
        }

        /**
         * Adds {@code dns} identifiers.
         *
         * @param domains the names
         * @return this builder
         */
        public Builder domains(List<String> domains) {
            return domains(domains.toArray(new String[0]));
        }

        /**
         * Adds identifiers of any type, for example {@link Identifier#ip(String) ip}; an {@code ip}
         * identifier is checked and made canonical here, before any request.
         *
         * @param ids the identifiers
         * @throws IllegalArgumentException if an {@code ip} identifier is malformed
         * @return this builder
         */
        public Builder identifiers(List<Identifier> ids) {
            for (Identifier id : ids) {
                Objects.requireNonNull(id, "identifier");
                identifiers.add(Identifier.TYPE_IP.equals(id.type()) ? Identifier.ip(id.value()) : id);
            }
            return this;
        }

        /**
         * Adds {@code ip} identifiers (RFC 8738), in canonical form ({@link Identifier#ip(String)}).
         *
         * @param addresses IPv4 or IPv6 literals
         * @return this builder
         * @throws IllegalArgumentException if an address is malformed (no DNS lookup is made)
         */
        public Builder ipAddresses(String... addresses) {
            for (String address : addresses) {
                identifiers.add(Identifier.ip(address));
            }
            return this;
        }

        /**
         * The key to certify: Keyward builds the CSR and the signer signs it, so the key may stay
         * in an HSM or KMS. Replaces a CSR given before.
         *
         * @param signer the certificate key's signer; must not be the account key (section 11.1)
         * @return this builder
         */
        public Builder certificateKey(AcmeSigner signer) {
            this.certificateKey = Objects.requireNonNull(signer, "signer");
            this.csr = null;
            return this;
        }

        /**
         * A CSR the caller made (for example one taken from a database): its key never reaches
         * Keyward. Replaces a certificate key given before.
         *
         * @param request the CSR; it must name the same identifiers
         * @return this builder
         */
        public Builder csr(Csr request) {
            this.csr = Objects.requireNonNull(request, "csr");
            this.certificateKey = null;
            return this;
        }

        /**
         * The challenge solvers, in order of preference: for each authorization the first solver
         * that {@linkplain ChallengeSolver#canSolve can solve it} and answers a challenge type the
         * CA offers is used. Replaces solvers given before.
         *
         * @param list the solvers
         * @return this builder
         */
        public Builder solvers(ChallengeSolver... list) {
            return solvers(List.of(list));
        }

        /**
         * As {@link #solvers(ChallengeSolver...)}.
         *
         * @param list the solvers
         * @return this builder
         */
        public Builder solvers(List<ChallengeSolver> list) {
            solvers.clear();
            for (ChallengeSolver solver : list) {
                solvers.add(Objects.requireNonNull(solver, "solver"));
            }
            return this;
        }

        /**
         * Asks for a certificate valid from this instant (many CAs refuse it).
         *
         * @param instant the start of validity
         * @return this builder
         */
        public Builder notBefore(Instant instant) {
            this.notBefore = Objects.requireNonNull(instant, "notBefore");
            return this;
        }

        /**
         * Asks for a certificate valid until this instant (many CAs refuse it).
         *
         * @param instant the end of validity
         * @return this builder
         */
        public Builder notAfter(Instant instant) {
            this.notAfter = Objects.requireNonNull(instant, "notAfter");
            return this;
        }

        /**
         * The deadline of the whole issuance, every request, wait and retry included (default 5
         * minutes). When it passes, the flow ends with {@link AcmeTimeoutException}.
         *
         * @param value positive, at most one day
         * @return this builder
         */
        public Builder deadline(Duration value) {
            Objects.requireNonNull(value, "deadline");
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("deadline must be positive and at most one day, was " + value);
            }
            this.deadline = value;
            return this;
        }

        /**
         * Deactivates the order's authorizations once the certificate is downloaded (section
         * 7.5.2), so a stolen account key cannot reuse them (default false). A failure to do so
         * is reported to {@link IssuanceListener#deactivationFailed}; the certificate is returned.
         *
         * @param value whether to deactivate
         * @return this builder
         */
        public Builder deactivateAuthorizations(boolean value) {
            this.deactivateAuthorizations = value;
            return this;
        }

        /**
         * The listener of the flow's events (default {@link IssuanceListener#NONE}).
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(IssuanceListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Resumes the order at this URL (stored from {@link IssuanceListener#orderCreated}) from
         * whatever state it is in, instead of creating an order: {@code pending}, {@code ready},
         * {@code processing} or {@code valid}. An {@code invalid} order ends the issuance with its
         * problem; no second order is created. The URL must be on the CA's origin (the directory
         * URL's scheme, host and port): otherwise {@link Account#issue} throws
         * {@link AcmeForeignUrlException} before sending anything.
         *
         * @param orderUrl the order's URL
         * @return this builder
         */
        public Builder resumeOrder(URI orderUrl) {
            this.resumeOrder = Objects.requireNonNull(orderUrl, "orderUrl");
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalStateException if no identifier was given, neither a certificate key nor
         *     a CSR, or notBefore is not before notAfter
         */
        public IssuanceRequest build() {
            if (identifiers.isEmpty()) {
                throw new IllegalStateException("an issuance needs at least one identifier");
            }
            if (certificateKey == null && csr == null) {
                throw new IllegalStateException("an issuance needs a certificate key or a CSR");
            }
            if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
                throw new IllegalStateException("notBefore must be before notAfter");
            }
            return new IssuanceRequest(this);
        }
    }
}
