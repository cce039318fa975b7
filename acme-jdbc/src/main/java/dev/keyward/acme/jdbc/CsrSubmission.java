package dev.keyward.acme.jdbc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to put in the queue ({@link CsrQueue#submit}): the caller's CSR (PEM or DER; the
 * key never reaches the queue), the CA's directory URL, the account name the workers serve, and
 * the options: a certificate profile (draft-ietf-acme-profiles) and challenge solvers by name.
 * The identifiers come from the CSR itself. Immutable.
 *
 * <p>Defaults: account {@value #DEFAULT_ACCOUNT}, no profile, any solver of the worker.
 */
public final class CsrSubmission {
    /** The account name of a submission that names none. */
    public static final String DEFAULT_ACCOUNT = "default";

    private final byte[] csr;
    private final URI directory;
    private final String account;
    private final String profile;
    private final List<String> solvers;

    private CsrSubmission(Builder b) {
        this.csr = b.csr;
        this.directory = b.directory;
        this.account = b.account;
        this.profile = b.profile;
        this.solvers = List.copyOf(b.solvers);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the CSR as given, PEM text or DER (a copy) */
    public byte[] csr() {
        return csr.clone();
    }

    /** @return the CA's directory URL */
    public URI directory() {
        return directory;
    }

    /** @return the account name */
    public String account() {
        return account;
    }

    /** @return the profile to ask for, if any */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** @return the solver names, in order of preference; empty for any solver of the worker */
    public List<String> solvers() {
        return solvers;
    }

    /** Builds a {@link CsrSubmission}; each setter checks its argument at once. */
    public static final class Builder {
        private byte[] csr;
        private URI directory;
        private String account = DEFAULT_ACCOUNT;
        private String profile;
        private final List<String> solvers = new ArrayList<>();

        private Builder() {
        }

        /**
         * The CSR, PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}) or DER. It is stored as given
         * and checked by {@link CsrQueue#submit}: a bad one becomes a {@code failed} row.
         *
         * @param pemOrDer the bytes
         * @return this builder
         */
        public Builder csr(byte[] pemOrDer) {
            this.csr = Objects.requireNonNull(pemOrDer, "csr").clone();
            return this;
        }

        /**
         * The CSR as PEM text.
         *
         * @param pem the PEM text
         * @return this builder
         */
        public Builder csrPem(String pem) {
            return csr(Objects.requireNonNull(pem, "pem").getBytes(StandardCharsets.US_ASCII));
        }

        /**
         * The CA's directory URL (RFC 8555 section 7.1.1); workers serve the rows of their own.
         *
         * @param url an absolute URL
         * @return this builder
         * @throws IllegalArgumentException if it is not absolute
         */
        public Builder directory(URI url) {
            Objects.requireNonNull(url, "directory");
            if (!url.isAbsolute()) {
                throw new IllegalArgumentException("the directory URL must be absolute, was " + url);
            }
            this.directory = url;
            return this;
        }

        /**
         * The name of the account that issues it; workers serve the rows of their own (default
         * {@value CsrSubmission#DEFAULT_ACCOUNT}).
         *
         * @param name 1 to 255 characters
         * @return this builder
         */
        public Builder account(String name) {
            this.account = checkName("account", name);
            return this;
        }

        /**
         * The certificate profile to ask for (draft-ietf-acme-profiles section 4). Default: none.
         *
         * @param name the profile name
         * @return this builder
         */
        public Builder profile(String name) {
            this.profile = checkName("profile", name);
            return this;
        }

        /**
         * The solvers to use, by the names the workers gave them ({@link QueueRunner.Builder#solver}),
         * in order of preference. Default: every solver of the worker. Replaces names given before.
         *
         * @param names the names
         * @return this builder
         */
        public Builder solvers(List<String> names) {
            solvers.clear();
            for (String name : names) {
                String n = checkName("solver", name);
                if (n.contains(",")) {
                    throw new IllegalArgumentException("a solver name must not contain ',': " + n);
                }
                solvers.add(n);
            }
            return this;
        }

        /**
         * Builds the submission.
         *
         * @return the submission
         * @throws IllegalStateException without a CSR or a directory URL
         */
        public CsrSubmission build() {
            if (csr == null) {
                throw new IllegalStateException("a submission needs a CSR");
            }
            if (directory == null) {
                throw new IllegalStateException("a submission needs the CA's directory URL");
            }
            return new CsrSubmission(this);
        }

        private static String checkName(String what, String name) {
            Objects.requireNonNull(name, what);
            if (name.isBlank() || name.length() > 255) {
                throw new IllegalArgumentException("a " + what + " name must have 1 to 255 characters");
            }
            return name;
        }
    }
}
