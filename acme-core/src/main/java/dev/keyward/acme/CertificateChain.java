package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.PemCertificates;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

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

    @Override
    public String toString() {
        return "CertificateChain{" + leaf().getSubjectX500Principal().getName() + ", " + certificates.size()
                + " certificates, " + alternateUrls.size() + " alternates}";
    }
}
