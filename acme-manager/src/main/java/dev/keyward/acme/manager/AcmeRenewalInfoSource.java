package dev.keyward.acme.manager;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeNotSupportedException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** {@link RenewalInfoSource#acme()}. */
final class AcmeRenewalInfoSource implements RenewalInfoSource {
    static final AcmeRenewalInfoSource INSTANCE = new AcmeRenewalInfoSource();

    private AcmeRenewalInfoSource() {
    }

    @Override
    public Optional<RenewalWindow> renewalWindow(AcmeClient client, X509Certificate certificate) throws AcmeException {
        if (certificate.getExtensionValue("2.5.29.35") == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RenewalWindow.of(client.fetchRenewalInfo(certificate)));
        } catch (AcmeNotSupportedException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "RenewalInfoSource.acme()";
    }
}
