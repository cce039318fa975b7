package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Where the manager gets a certificate's ACME Renewal Information (RFC 9773 section 4.1). The
 * default, {@link #acme()}, asks the CA with {@link AcmeClient#fetchRenewalInfo}; a CA without
 * {@code renewalInfo} in its directory yields empty, and the manager falls back to the
 * certificate's lifetime ({@link RenewalPolicy}).
 */
public interface RenewalInfoSource {
    /**
     * The suggested renewal window of a certificate.
     *
     * @param client the client of the CA that issued the certificate
     * @param certificate the certificate
     * @return the window, or empty when the CA offers no renewal information
     * @throws AcmeException if the CA refuses or cannot be reached (the manager asks again later)
     */
    Optional<RenewalWindow> renewalWindow(AcmeClient client, X509Certificate certificate) throws AcmeException;

    /**
     * The source that asks the CA: one unauthenticated GET of {@code renewalInfo/<certificate id>}.
     * A certificate without an Authority Key Identifier, or a CA whose directory has no
     * {@code renewalInfo}, yields empty.
     *
     * @return the default source
     */
    static RenewalInfoSource acme() {
        return AcmeRenewalInfoSource.INSTANCE;
    }
}
