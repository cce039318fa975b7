package dev.keyward.acme.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link ServingKeyManager} picks by name (the lookup behind SNI): an exact name, then a
 * wildcard of its parent; a name two sets list goes to the set added first, whatever the order
 * their certificates arrive in; a renewal moves only that set's names; without a known name, the
 * first set added that has a certificate.
 */
class ServingKeyManagerTest {
    private static final AcmeCa CA = AcmeCa.builder(URI.create("https://ca.test/dir")).build();

    private final CertificateSet www = CertificateSet.builder("www").domains("www.example.test", "shared.example.test")
            .ca(CA).http01().build();
    private final CertificateSet wild = CertificateSet.builder("wild").domains("*.example.test", "shared.example.test")
            .ca(CA).http01().build();
    private final ServingKeyManager serving = new ServingKeyManager(List.of("www", "wild"));

    @Test
    void aSharedNameGoesToTheSetAddedFirstEvenWhenItsCertificateArrivesLast() {
        ManagedCertificate wildCert = certificate(wild, "*.example.test");
        serving.install(wild, wildCert);
        assertThat(alias("shared.example.test")).startsWith("wild@");
        assertThat(alias("nothing.test")).as("the only set with a certificate").startsWith("wild@");

        ManagedCertificate wwwCert = certificate(www, "www.example.test");
        serving.install(www, wwwCert);

        assertThat(alias("shared.example.test")).startsWith("www@");
        assertThat(alias("www.example.test")).startsWith("www@");
        assertThat(alias("api.example.test")).as("the wildcard").startsWith("wild@");
        assertThat(alias("nothing.test")).as("the first set added").startsWith("www@");
    }

    @Test
    void aRenewalMovesOnlyItsOwnNamesAndTheOldAliasStaysResolvable() {
        ManagedCertificate first = certificate(www, "www.example.test");
        serving.install(www, first);
        serving.install(wild, certificate(wild, "*.example.test"));
        String before = alias("www.example.test");
        String wildBefore = alias("api.example.test");

        ManagedCertificate renewed = certificate(www, "www.example.test");
        serving.install(www, renewed);

        assertThat(alias("www.example.test")).isNotEqualTo(before).startsWith("www@");
        assertThat(alias("shared.example.test")).isEqualTo(alias("www.example.test"));
        assertThat(alias("api.example.test")).isEqualTo(wildBefore);
        assertThat(serving.getCertificateChain(before)[0]).isEqualTo(first.leaf());
        assertThat(serving.getCertificateChain(alias("www.example.test"))[0]).isEqualTo(renewed.leaf());
    }

    private String alias(String host) {
        return serving.aliasFor(host);
    }

    private static ManagedCertificate certificate(CertificateSet set, String name) {
        KeyPair pair = TestCertificates.ec();
        Instant now = Instant.now();
        return new ManagedCertificate(set.name(), List.of(TestCertificates.leaf(name, pair.getPublic(), now,
                now.plus(Duration.ofDays(1)))), pair.getPrivate(), null);
    }
}
