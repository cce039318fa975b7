package dev.keyward.acme.jdbc;

import dev.keyward.acme.AcmeClock;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.CertificateSet;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.RenewalPolicy;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A certificate manager of a fleet as the tests run it: sets issued through dns-01 against a
 * Pebble, renewal by the certificate's lifetime (no ARI, so a test decides when a renewal is due),
 * short backoff, a short lock retry.
 */
final class FleetManagers {
    private FleetManagers() {
    }

    static CertificateManager manager(CertificateStorage storage, URI directory, List<X509Certificate> trust,
            DnsProvider dns, AcmeClock clock, EventListener events, boolean background, List<String> domains) {
        AcmeCa ca = AcmeCa.builder(directory).trustAnchors(trust).agreeToTermsOfService().build();
        CertificateManager.Builder builder = CertificateManager.builder()
                .storage(storage)
                .clock(clock)
                .renewalInfoSource((client, certificate) -> Optional.empty())
                .renewalPolicy(RenewalPolicy.builder().initialBackoff(Duration.ofSeconds(1)).build())
                .lockRetryInterval(Duration.ofSeconds(1))
                .eventListener(events)
                .backgroundScheduling(background);
        for (String domain : domains) {
            builder.add(CertificateSet.builder(domain.substring(0, domain.indexOf('.'))).domains(domain).ca(ca)
                    .solvers(Dns01Solver.using(dns)).build());
        }
        return builder.build();
    }
}
