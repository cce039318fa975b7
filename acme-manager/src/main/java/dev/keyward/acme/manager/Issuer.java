package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

/** What the manager issues through: {@link AcmeIssuer} in production, a stub in scheduling tests. */
interface Issuer extends AutoCloseable {
    /** Receives the URL of a new order before it is finalized, to resume it after a crash. */
    interface OrderSink {
        void orderCreated(URI orderUrl) throws IOException;
    }

    /**
     * Issues a certificate for a set's key.
     *
     * @param resumeOrder the order to resume, or null for a new one
     * @param replacing the certificate being renewed, or null
     * @return the chain, leaf first
     */
    List<X509Certificate> issue(CertificateSet set, CertificateKey key, URI resumeOrder, X509Certificate replacing,
            OrderSink sink) throws AcmeException, IOException;

    /** The client of a set's CA, for renewal information. */
    AcmeClient client(AcmeCa ca);

    @Override
    void close();
}
