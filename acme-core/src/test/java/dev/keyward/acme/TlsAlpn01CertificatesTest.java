package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tls-alpn-01 validation certificate (RFC 8737 section 3) and the names a validator sends
 * (RFC 8738 section 6), checked with the JDK's own X.509 parser and digest.
 */
class TlsAlpn01CertificatesTest {
    private static final String KEY_AUTHORIZATION = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void theCertificateNamesTheIdentifierAndCarriesTheKeyAuthorizationDigestInACriticalExtension(TestKeys keys)
            throws Exception {
        CountingSigner signer = new CountingSigner(keys.signer());

        X509Certificate certificate = TlsAlpn01Certificates.create(Identifier.dns("www.example.org"), KEY_AUTHORIZATION,
                signer);

        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, "www.example.org"));
        assertThat(certificate.getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.31");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY_AUTHORIZATION.getBytes(StandardCharsets.US_ASCII));
        // getExtensionValue wraps extnValue in an OCTET STRING; extnValue is itself the OCTET STRING of the digest
        byte[] expected = new byte[4 + 32];
        expected[0] = 0x04;
        expected[1] = 34;
        expected[2] = 0x04;
        expected[3] = 32;
        System.arraycopy(digest, 0, expected, 4, 32);
        assertThat(certificate.getExtensionValue("1.3.6.1.5.5.7.1.31")).isEqualTo(expected);
        assertThat(certificate.getPublicKey()).isEqualTo(keys.keyPair().getPublic());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        certificate.verify(keys.keyPair().getPublic());
        assertThat(signer.calls.get()).isEqualTo(1);
    }

    @Test
    void theDigestOfAChallengeIsTheSha256OfItsKeyAuthorization() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY_AUTHORIZATION.getBytes(StandardCharsets.US_ASCII));

        assertThat(TlsAlpn01Challenge.digest(KEY_AUTHORIZATION)).isEqualTo(digest).hasSize(32);
    }

    @Test
    void anIpIdentifiersCertificateHasAnIpAddressSanAndNoDnsName() throws Exception {
        X509Certificate v4 = TlsAlpn01Certificates.create(Identifier.ip("127.0.0.1"), KEY_AUTHORIZATION,
                TestKeys.EC_P256.signer());
        X509Certificate v6 = TlsAlpn01Certificates.create(Identifier.ip("2001:db8::1"), KEY_AUTHORIZATION,
                TestKeys.EC_P256.signer());

        assertThat(v4.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
        assertThat(v6.getSubjectAlternativeNames()).hasSize(1);
        List<?> san = v6.getSubjectAlternativeNames().iterator().next();
        assertThat(san.get(0)).isEqualTo(7);
        assertThat(InetAddress.getByName((String) san.get(1)).getAddress())
                .isEqualTo(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    }

    @Test
    void aWildcardOrAnUnknownIdentifierTypeIsRefused() {
        assertThatThrownBy(() -> TlsAlpn01Certificates.create(Identifier.dns("*.example.org"), KEY_AUTHORIZATION,
                TestKeys.EC_P256.signer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> TlsAlpn01Certificates.create(Identifier.of("onion", "x.onion"), KEY_AUTHORIZATION,
                TestKeys.EC_P256.signer())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsAlpn01Certificates.create(Identifier.of("ip", "example.org"), KEY_AUTHORIZATION,
                TestKeys.EC_P256.signer())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingSignerIsReportedAsASigningFailure() {
        AcmeSigner broken = new AcmeSigner() {
            @Override
            public SignatureAlgorithm algorithm() {
                return SignatureAlgorithm.ES256;
            }

            @Override
            public PublicKey publicKey() {
                return TestKeys.EC_P256.keyPair().getPublic();
            }

            @Override
            public byte[] sign(byte[] data) throws AcmeSigningException {
                throw new AcmeSigningException("the HSM is offline", null);
            }
        };

        assertThatThrownBy(() -> TlsAlpn01Certificates.create(Identifier.dns("www.example.org"), KEY_AUTHORIZATION, broken))
                .isInstanceOf(AcmeSigningException.class).hasMessageContaining("HSM is offline");
    }

    @Test
    void theReverseDnsNameOfAnIpv4AddressIsUnderInAddrArpa() {
        assertThat(TlsAlpn01Certificates.reverseDnsName("127.0.0.1")).isEqualTo("1.0.0.127.in-addr.arpa");
        assertThat(TlsAlpn01Certificates.reverseDnsName("192.0.2.10")).isEqualTo("10.2.0.192.in-addr.arpa");
    }

    @Test
    void theReverseDnsNameOfAnIpv6AddressIsItsNibblesUnderIp6Arpa() {
        // the example of RFC 3596 section 2.5
        assertThat(TlsAlpn01Certificates.reverseDnsName("4321:0:1:2:3:4:567:89ab"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa");
        assertThat(TlsAlpn01Certificates.reverseDnsName("::1"))
                .isEqualTo("1." + "0.".repeat(31) + "ip6.arpa");
    }

    @Test
    void anIpv4MappedAddressGetsTheReverseDnsNameOfItsIpv4AddressAsGoValidatorsSendIt() {
        assertThat(TlsAlpn01Certificates.reverseDnsName("::ffff:127.0.0.1")).isEqualTo("1.0.0.127.in-addr.arpa");
    }

    @Test
    void theServerNameIsTheDnsNameOrTheReverseDnsNameOfTheAddress() {
        assertThat(TlsAlpn01Certificates.serverName(Identifier.dns("www.example.org"))).isEqualTo("www.example.org");
        assertThat(TlsAlpn01Certificates.serverName(Identifier.ip("127.0.0.1"))).isEqualTo("1.0.0.127.in-addr.arpa");
        assertThatThrownBy(() -> TlsAlpn01Certificates.reverseDnsName("localhost"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Counts the signatures, to show the certificate is signed through the AcmeSigner. */
    private static final class CountingSigner implements AcmeSigner {
        final AcmeSigner inner;
        final AtomicInteger calls = new AtomicInteger();

        CountingSigner(AcmeSigner inner) {
            this.inner = inner;
        }

        @Override
        public SignatureAlgorithm algorithm() {
            return inner.algorithm();
        }

        @Override
        public PublicKey publicKey() {
            return inner.publicKey();
        }

        @Override
        public byte[] sign(byte[] data) throws AcmeSigningException {
            calls.incrementAndGet();
            return inner.sign(data);
        }
    }
}
