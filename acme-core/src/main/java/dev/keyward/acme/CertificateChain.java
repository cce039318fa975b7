package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.PemCertificates;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A downloaded certificate chain (RFC 8555 section 7.4.2): the leaf first, then the issuers, as
 * PEM and as parsed {@link X509Certificate}s, with the URLs of alternate chains the server offered
 * ({@code Link: rel="alternate"}). Immutable.
 */
public final class CertificateChain {
    private final URI url;
    private final List<X509Certificate> certificates;
    private final List<URI> alternateUrls;

    private CertificateChain(URI url, List<X509Certificate> certificates, List<URI> alternateUrls) {
        this.url = url;
        this.certificates = List.copyOf(certificates);
        this.alternateUrls = List.copyOf(alternateUrls);
    }

    static CertificateChain download(Login login, URI url, PublicKey expectedKey) throws AcmeException {
        HttpResponse response = login.session().post(url, login.signer(), login.accountUrl(), null,
                Session.ACCEPT_PEM_CHAIN);
        List<X509Certificate> certificates = PemCertificates.parse(response.bodyText(), "certificate chain " + url);
        if (expectedKey != null && !certificates.get(0).getPublicKey().equals(expectedKey)) {
            throw new AcmeProtocolException("certificate " + url + " does not certify the CSR's public key");
        }
        return new CertificateChain(url, certificates, response.links("alternate"));
    }

    /**
     * The URL this chain was downloaded from (RFC 8555 section 7.4.2): the order's
     * {@code certificate} URL, or the URL of an alternate chain ({@code Link: rel="alternate"}).
     * Keyward only downloads from it; revocation (section 7.6) sends the certificate itself.
     *
     * @return the download URL
     */
    public URI url() {
        return url;
    }

    /** @return the end-entity certificate */
    public X509Certificate leaf() {
        return certificates.get(0);
    }

    /** @return every certificate, leaf first */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** @return the issuers after the leaf, possibly empty */
    public List<X509Certificate> issuers() {
        return certificates.subList(1, certificates.size());
    }

    /** @return the leaf and issuers as PEM (what certbot calls {@code fullchain.pem}) */
    public String pem() {
        return PemCertificates.write(certificates);
    }

    /** @return the leaf alone as PEM */
    public String leafPem() {
        return PemCertificates.write(List.of(leaf()));
    }

    /** @return the URLs of alternate chains, possibly empty */
    public List<URI> alternateUrls() {
        return alternateUrls;
    }

    /**
     * Whether this chain leads to the named issuer, for choosing among the default and the
     * alternate chains (section 7.4.2): the name is compared, ignoring case, with the common name
     * of the top certificate's issuer (the root the chain ends at) and of the top certificate
     * itself (the top intermediate, or a root sent along), and with the hex key identifiers of
     * both (colons and case ignored).
     *
     * @param name a common name such as {@code ISRG Root X1}, or a key identifier in hex
     * @return true if the chain leads to that issuer
     */
    public boolean chainsTo(String name) {
        Objects.requireNonNull(name, "name");
        X509Certificate top = certificates.get(certificates.size() - 1);
        String wanted = name.trim();
        String wantedHex = wanted.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        return wanted.equalsIgnoreCase(commonName(top.getIssuerX500Principal()))
                || wanted.equalsIgnoreCase(commonName(top.getSubjectX500Principal()))
                || (!wantedHex.isEmpty() && (wantedHex.equals(keyIdentifier(top, "2.5.29.35"))
                        || wantedHex.equals(keyIdentifier(top, "2.5.29.14"))));
    }

    private static String commonName(javax.security.auth.x500.X500Principal principal) {
        org.bouncycastle.asn1.x500.X500Name name = org.bouncycastle.asn1.x500.X500Name.getInstance(principal.getEncoded());
        org.bouncycastle.asn1.x500.RDN[] cns = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return cns.length == 0 ? "" : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /** The key identifier of the authority (2.5.29.35) or subject (2.5.29.14) key identifier extension, in hex. */
    private static String keyIdentifier(X509Certificate certificate, String oid) {
        byte[] extension = certificate.getExtensionValue(oid);
        if (extension == null) {
            return "";
        }
        try {
            byte[] inner = org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets();
            byte[] id = oid.equals("2.5.29.35")
                    ? org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifier()
                    : org.bouncycastle.asn1.ASN1OctetString.getInstance(inner).getOctets();
            return id == null ? "" : org.bouncycastle.util.encoders.Hex.toHexString(id);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "CertificateChain{" + leaf().getSubjectX500Principal().getName() + ", " + certificates.size()
                + " certificates, " + alternateUrls.size() + " alternates}";
    }
}
