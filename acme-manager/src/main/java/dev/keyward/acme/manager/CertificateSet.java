package dev.keyward.acme.manager;

import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One certificate the manager keeps: its identifiers (RFC 8555 section 7.1.4), the CA that
 * issues it, its key source, an optional profile (draft-ietf-acme-profiles), a preferred chain,
 * and the challenge solvers (section 8). Immutable; {@link #builder(String)}.
 *
 * <p>Defaults: key {@link KeySource#ecP256()}; no profile; the CA's default chain; solvers: the
 * manager's own {@code tls-alpn-01} key manager (RFC 8737, answering on the port of the server
 * that uses {@link CertificateManager#sslContext()}) and its {@code http-01} lookup (mounted by the
 * server at {@code /.well-known/acme-challenge/}), in that order.
 */
public final class CertificateSet {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final String name;
    private final List<Identifier> identifiers;
    private final AcmeCa ca;
    private final KeySource keySource;
    private final String profile;
    private final String preferredChain;
    private final boolean tlsAlpn01;
    private final boolean http01;
    private final List<ChallengeSolver> solvers;

    private CertificateSet(Builder b) {
        this.name = b.name;
        this.identifiers = List.copyOf(b.identifiers);
        this.ca = b.ca;
        this.keySource = b.keySource;
        this.profile = b.profile;
        this.preferredChain = b.preferredChain;
        boolean defaults = !b.tlsAlpn01 && !b.http01 && b.solvers.isEmpty();
        this.tlsAlpn01 = b.tlsAlpn01 || defaults;
        this.http01 = b.http01 || defaults;
        this.solvers = List.copyOf(b.solvers);
    }

    /**
     * A builder.
     *
     * @param name the set's name, unique in a manager and a storage: lower-case letters, digits,
     *     {@code .}, {@code _} and {@code -}, at most 63 characters, starting with a letter or digit
     * @return a builder
     * @throws IllegalArgumentException if the name does not fit
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the identifiers, in the order given */
    public List<Identifier> identifiers() {
        return identifiers;
    }

    /** @return the CA */
    public AcmeCa ca() {
        return ca;
    }

    /** @return the key source */
    public KeySource keySource() {
        return keySource;
    }

    /** @return the certificate profile to ask for, if any */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** @return the issuer the chain should lead to, if any */
    public Optional<String> preferredChain() {
        return Optional.ofNullable(preferredChain);
    }

    /** @return whether the manager's tls-alpn-01 key manager solves challenges */
    public boolean usesTlsAlpn01() {
        return tlsAlpn01;
    }

    /** @return whether the manager's http-01 lookup solves challenges */
    public boolean usesHttp01() {
        return http01;
    }

    /** @return the caller's own solvers, tried after the manager's */
    public List<ChallengeSolver> solvers() {
        return solvers;
    }

    @Override
    public String toString() {
        return "CertificateSet{" + name + ", " + identifiers + ", " + ca.directoryUrl() + "}";
    }

    /** Builds a {@link CertificateSet}; each setter checks its argument at once. */
    public static final class Builder {
        private final String name;
        private final Set<Identifier> identifiers = new LinkedHashSet<>();
        private AcmeCa ca;
        private KeySource keySource = KeySource.ecP256();
        private String profile;
        private String preferredChain;
        private boolean tlsAlpn01;
        private boolean http01;
        private final List<ChallengeSolver> solvers = new ArrayList<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a set name is [a-z0-9][a-z0-9._-]{0,62}, not " + name);
            }
            this.name = name;
        }

        /**
         * Adds {@code dns} identifiers; {@code *.} makes a wildcard (which needs a dns-01 solver).
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
         * Adds identifiers of any type, for example {@link Identifier#ip(String) ip} (RFC 8738).
         *
         * @param ids the identifiers
         * @return this builder
         */
        public Builder identifiers(Identifier... ids) {
            for (Identifier id : ids) {
                identifiers.add(Objects.requireNonNull(id, "identifier"));
            }
            return this;
        }

        /**
         * The CA that issues the set (required).
         *
         * @param value the CA
         * @return this builder
         */
        public Builder ca(AcmeCa value) {
            this.ca = Objects.requireNonNull(value, "ca");
            return this;
        }

        /**
         * The key source (default {@link KeySource#ecP256()}).
         *
         * @param value the key source
         * @return this builder
         */
        public Builder keySource(KeySource value) {
            this.keySource = Objects.requireNonNull(value, "keySource");
            return this;
        }

        /**
         * The certificate profile to ask for (default: none, the CA's default).
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
         * The issuer the chain should lead to (default: the CA's default chain).
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
         * Solves {@code tls-alpn-01} through the manager's own key manager, on the port of the
         * server that serves {@link CertificateManager#sslContext()}.
         *
         * @return this builder
         */
        public Builder tlsAlpn01() {
            this.tlsAlpn01 = true;
            return this;
        }

        /**
         * Solves {@code http-01} through the manager's {@link CertificateManager#http01Lookup()}.
         *
         * @return this builder
         */
        public Builder http01() {
            this.http01 = true;
            return this;
        }

        /**
         * Adds solvers of the caller's, such as a {@code Dns01Solver}, tried after the manager's
         * own when those are also chosen.
         *
         * @param list the solvers
         * @return this builder
         */
        public Builder solvers(ChallengeSolver... list) {
            for (ChallengeSolver solver : list) {
                solvers.add(Objects.requireNonNull(solver, "solver"));
            }
            return this;
        }

        /**
         * Builds the set.
         *
         * @return the set
         * @throws IllegalStateException without identifiers or a CA
         */
        public CertificateSet build() {
            if (identifiers.isEmpty()) {
                throw new IllegalStateException("set " + name + " has no identifier");
            }
            if (ca == null) {
                throw new IllegalStateException("set " + name + " has no CA");
            }
            return new CertificateSet(this);
        }
    }
}
