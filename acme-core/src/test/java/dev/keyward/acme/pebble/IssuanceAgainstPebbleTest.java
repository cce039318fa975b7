package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8555 section 7.4: whole issuances against a real Pebble. */
class IssuanceAgainstPebbleTest extends AgainstPebble {
    @Test
    void oneNameIsCertifiedOverHttp01() throws Exception {
        String name = PebbleFlow.uniqueName("one");
        Account account = flow.register(client, TestKeys.ecP256());
        AcmeSigner certificateKey = TestKeys.ecP256();

        CertificateChain chain = flow.issue(account, List.of(name), PebbleFlow.Method.HTTP01, certificateKey);

        assertThat(subjectNames(chain.leaf())).containsExactly(name);
        assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
        assertThat(chain.issuers()).isNotEmpty();
        chain.leaf().verify(chain.issuers().get(0).getPublicKey());
        assertThat(chain.pem()).startsWith("-----BEGIN CERTIFICATE-----").contains(chain.leafPem());
    }

    @Test
    void threeNamesEndUpAsSubjectAlternativeNamesOfOneCertificate() throws Exception {
        List<String> names = List.of(PebbleFlow.uniqueName("a"), PebbleFlow.uniqueName("b"), PebbleFlow.uniqueName("c"));
        Account account = flow.register(client, TestKeys.ecP256());

        CertificateChain chain = flow.issue(account, names, PebbleFlow.Method.HTTP01, TestKeys.ecP256());

        assertThat(subjectNames(chain.leaf())).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void oneNameIsCertifiedOverDns01() throws Exception {
        String name = PebbleFlow.uniqueName("dns");
        Account account = flow.register(client, TestKeys.ecP256());

        CertificateChain chain = flow.issue(account, List.of(name), PebbleFlow.Method.DNS01, TestKeys.ecP256());

        assertThat(subjectNames(chain.leaf())).containsExactly(name);
    }

    @Test
    void aWildcardAndItsBaseDomainAreCertifiedOverDns01() throws Exception {
        String base = PebbleFlow.uniqueName("wild");
        Account account = flow.register(client, TestKeys.ecP256());

        CertificateChain chain = flow.issue(account, List.of("*." + base, base), PebbleFlow.Method.DNS01,
                TestKeys.ecP256());

        assertThat(subjectNames(chain.leaf())).containsExactlyInAnyOrder("*." + base, base);
    }

    @ParameterizedTest(name = "account key {0}")
    @ValueSource(strings = {"ec-p256", "ec-p384", "rsa-2048"})
    void everySupportedAccountKeyTypeSignsAWholeIssuance(String keyType) throws Exception {
        Account account = flow.register(client, TestKeys.named(keyType));

        CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName(keyType)),
                PebbleFlow.Method.HTTP01, TestKeys.ecP256());

        assertThat(account.status()).isEqualTo(Status.VALID);
        assertThat(chain.certificates()).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "certificate key {0}")
    @ValueSource(strings = {"ec-p256", "ec-p384", "rsa-2048"})
    void everySupportedCertificateKeyTypeIsCertified(String keyType) throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        AcmeSigner certificateKey = TestKeys.named(keyType);

        CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName("key")),
                PebbleFlow.Method.HTTP01, certificateKey);

        assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.publicKey());
    }

    @Test
    void aValidOrderReadsValidWhenFetchedAgainFromItsUrl() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        IssuanceResult issued = flow.issuance(account, List.of(PebbleFlow.uniqueName("refetch")),
                PebbleFlow.Method.HTTP01, TestKeys.ecP256());

        Order again = flow.client().fetchAccount(account.url(), account.signer()).fetchOrder(issued.order().url());

        assertThat(again.status()).isEqualTo(Status.VALID);
        assertThat(again.certificateUrl()).isEqualTo(issued.order().certificateUrl());
        assertThat(again.downloadCertificate().leaf()).isEqualTo(issued.chain().leaf());
    }

    private static List<String> subjectNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        for (List<?> san : sans) {
            names.add((String) san.get(1));
        }
        return names;
    }
}
