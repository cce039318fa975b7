package dev.keyward.acme.manager;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

/** What the manager issues through: {@link AcmeIssuer} in production, a stub in scheduling tests. */
interface Issuer extends AutoCloseable {
    /** The old and the new account of a CA after {@link #replaceAccount}. */
    record AccountSwap(Account previous, Account current) {
    }

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

    /**
     * Replaces the manager's account at a CA with a new account under a new generated key, stored
     * in place of the old one; returns both, the old one for containment.
     */
    default AccountSwap replaceAccount(AcmeCa ca) throws AcmeException, IOException {
        throw new UnsupportedOperationException("this issuer keeps no accounts");
    }

    /** The client of a set's CA, for renewal information. */
    AcmeClient client(AcmeCa ca);

    @Override
    void close();
}
