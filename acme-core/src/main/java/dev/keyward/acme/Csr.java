package dev.keyward.acme;

import dev.keyward.acme.internal.SignerContentSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request (RFC 2986) for the {@code finalize} request of RFC 8555
 * section 7.4: the identifiers as subjectAltNames ({@code dNSName}, or {@code iPAddress} for an
 * {@code ip} identifier of RFC 8738), the first DNS name (when it fits) as common name (none
 * for a CSR of IP addresses only), signed through an {@link AcmeSigner}, so the certificate key may live in an HSM or KMS.
 * Immutable. Also wraps a CSR made elsewhere ({@link #fromDer(byte[])}, {@link #fromPem(String)}).
 */
public final class Csr {
    private final byte[] der;
    private final PublicKey publicKey;

    private Csr(byte[] der, PublicKey publicKey) {
        this.der = der;
        this.publicKey = publicKey;
    }

    /**
     * A builder for a CSR that Keyward signs.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Wraps a DER-encoded CSR made elsewhere; checks its self-signature.
     *
     * @param der the CSR
     * @return the CSR
     * @throws IllegalArgumentException if it is not a CSR or its signature does not verify
     */
    public static Csr fromDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);
            PublicKey key = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(request).getPublicKey();
            boolean valid = request.isSignatureValid(
                    new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().build(key));
            if (!valid) {
                throw new IllegalArgumentException("CSR signature does not verify");
            }
            return new Csr(der.clone(), key);
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException
                 | org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            if (e instanceof IllegalArgumentException && "CSR signature does not verify".equals(e.getMessage())) {
                throw (IllegalArgumentException) e;
            }
            String why = e instanceof org.bouncycastle.operator.OperatorCreationException
                    ? "its signature algorithm is not supported"
                    : e instanceof java.security.GeneralSecurityException ? dev.keyward.acme.internal.Failures.crypto(e)
                    : "its DER encoding is malformed";
            throw new IllegalArgumentException("not a valid PKCS#10 CSR: " + why, e);
        }
    }

    /**
     * Wraps a PEM CSR ({@code -----BEGIN CERTIFICATE REQUEST-----}) made elsewhere.
     *
     * @param pem the PEM text
     * @return the CSR
     * @throws IllegalArgumentException if it is not a PEM CSR or its signature does not verify
     */
    public static Csr fromPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        String begin = pem.contains("-----BEGIN NEW CERTIFICATE REQUEST-----")
                ? "-----BEGIN NEW CERTIFICATE REQUEST-----" : "-----BEGIN CERTIFICATE REQUEST-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END", start + 1);
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("no PEM certificate request found");
        }
        String base64 = pem.substring(start + begin.length(), end).replaceAll("\\s", "");
        try {
            return fromDer(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM certificate request is malformed: " + e.getMessage(), e);
        }
    }

    /** @return the DER encoding (a copy) */
    public byte[] der() {
        return der.clone();
    }

    /** @return the PEM encoding */
    public String pem() {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** @return the public key the CSR asks to certify */
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "Csr{" + publicKey.getAlgorithm() + ", " + der.length + " bytes}";
    }

    /** Builds a {@link Csr}. Not thread-safe. */
    public static final class Builder {
        private final Set<Identifier> identifiers = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Adds {@code dns} names.
         *
         * @param domains the names
         * @return this builder
         */
        public Builder domains(String... domains) {
            for (String d : domains) {
                identifiers.add(Identifier.dns(d));
            }
            return this;
        }

        /**
         * Adds identifiers ({@code dns}, or {@code ip} from RFC 8738).
         *
         * @param ids the identifiers
         * @return this builder
         * @throws IllegalArgumentException for another type, or an {@code ip} value that is not an
         *     IP address literal (never looked up in the DNS)
         */
        public Builder identifiers(List<Identifier> ids) {
            for (Identifier id : ids) {
                if (!id.type().equals(Identifier.TYPE_DNS) && !id.type().equals(Identifier.TYPE_IP)) {
                    throw new IllegalArgumentException("cannot put a " + id.type() + " identifier in a CSR");
                }
                if (id.type().equals(Identifier.TYPE_IP)) {
                    ipBytes(id.value());
                }
                identifiers.add(id);
            }
            return this;
        }

        /**
         * Builds and signs the CSR.
         *
         * @param signer the certificate key's signer
         * @return the CSR
         * @throws IllegalStateException if no identifier was added
         * @throws AcmeSigningException if the signer fails
         */
        public Csr build(AcmeSigner signer) throws AcmeSigningException {
            Objects.requireNonNull(signer, "signer");
            if (identifiers.isEmpty()) {
                throw new IllegalStateException("a CSR needs at least one identifier");
            }
            List<GeneralName> names = new ArrayList<>();
            String commonName = null;
            for (Identifier id : identifiers) {
                if (id.type().equals(Identifier.TYPE_DNS)) {
                    names.add(new GeneralName(GeneralName.dNSName, id.value()));
                    if (commonName == null && id.value().length() <= 64) {
                        commonName = id.value();
                    }
                } else {
                    names.add(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(ipBytes(id.value()))));
                }
            }
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            if (commonName != null) {
                subject.addRDN(BCStyle.CN, commonName);
            }
            try {
                PKCS10CertificationRequestBuilder builder = new PKCS10CertificationRequestBuilder(subject.build(),
                        SubjectPublicKeyInfo.getInstance(signer.publicKey().getEncoded()));
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
                SignerContentSigner contentSigner = new SignerContentSigner(signer);
                PKCS10CertificationRequest request = builder.build(contentSigner);
                contentSigner.throwIfFailed();
                return new Csr(request.getEncoded(), signer.publicKey());
            } catch (IOException e) {
                throw new IllegalStateException("CSR encoding failed", e);
            }
        }

        private static byte[] ipBytes(String ip) {
            return dev.keyward.acme.internal.IpAddresses.parse(ip);
        }
    }
}
