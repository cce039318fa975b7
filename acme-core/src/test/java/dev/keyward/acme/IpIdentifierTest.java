package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code ip} identifiers (RFC 8738): literals only, in canonical text (RFC 5952 for IPv6). */
class IpIdentifierTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "' 192.0.2.7 ', 192.0.2.7",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "[::1], ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "::FFFF:7F00:1, ::ffff:127.0.0.1",
        "::ffff:127.0.0.1, ::ffff:127.0.0.1",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
    })
    void anAddressIsKeptInItsCanonicalText(String given, String canonical) {
        Identifier id = Identifier.ip(given);

        assertThat(id.type()).isEqualTo("ip");
        assertThat(id.value()).isEqualTo(canonical);
        assertThat(id).isEqualTo(Identifier.ip(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "256.1.1.1", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1.2.3.4 5",
            "example.com", "localhost", "1.2.3.4:80", "[::1]:443", ":::", "1::2::3", "::1::", "1:2:3:4:5:6:7:8:9",
            "12345::", "g::1", "fe80::1%eth0", "2001:db8::/32", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1.2.3.4::",
            "[::1", "0x7f.0.0.1", "2130706433"})
    void aMalformedAddressIsRefused(String text) {
        assertThatThrownBy(() -> Identifier.ip(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInetAddressBecomesItsCanonicalText() throws Exception {
        assertThat(Identifier.ip(InetAddress.getByAddress(new byte[] {127, 0, 0, 1})).value()).isEqualTo("127.0.0.1");
        assertThat(Identifier.ip(InetAddress.getByName("2001:DB8::0:1")).value()).isEqualTo("2001:db8::1");
    }

    @Test
    void aCsrRefusesAMalformedIpIdentifierBeforeSigning() {
        Csr.Builder builder = Csr.builder();

        assertThatThrownBy(() -> builder.identifiers(java.util.List.of(Identifier.of("ip", "256.1.1.1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256.1.1.1");
        assertThatThrownBy(() -> builder.identifiers(java.util.List.of(Identifier.of("ip", "www.example.org"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCsrForANameAndAnAddressTakesItsCommonNameFromTheName() throws Exception {
        Csr csr = Csr.builder().identifiers(java.util.List.of(Identifier.ip("127.0.0.1"), Identifier.dns("www.example.org")))
                .build(TestKeys.EC_P256.signer());

        org.bouncycastle.pkcs.PKCS10CertificationRequest request = new org.bouncycastle.pkcs.PKCS10CertificationRequest(csr.der());
        assertThat(request.getSubject().toString()).isEqualTo("CN=www.example.org");
        org.bouncycastle.asn1.x509.GeneralNames names = org.bouncycastle.asn1.x509.GeneralNames.fromExtensions(
                request.getRequestedExtensions(), org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        assertThat(names.getNames()).extracting(org.bouncycastle.asn1.x509.GeneralName::getTagNo)
                .containsExactly(org.bouncycastle.asn1.x509.GeneralName.iPAddress, org.bouncycastle.asn1.x509.GeneralName.dNSName);
        assertThat(org.bouncycastle.asn1.ASN1OctetString.getInstance(names.getNames()[0].getName()).getOctets())
                .containsExactly(127, 0, 0, 1);
    }

    @org.junit.jupiter.api.Test
    void anIssuanceRequestMakesIpIdentifiersCanonicalAndRefusesMalformedOnesBeforeAnyRequest() {
        IssuanceRequest request = IssuanceRequest.builder().ipAddresses("2001:DB8:0:0:0:0:0:1")
                .identifiers(java.util.List.of(Identifier.of(Identifier.TYPE_IP, "127.0.0.1")))
                .certificateKey(TestKeys.EC_P256.signer()).build();

        org.assertj.core.api.Assertions.assertThat(request.identifiers()).extracting(Identifier::value)
                .containsExactly("2001:db8::1", "127.0.0.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IssuanceRequest.builder()
                .identifiers(java.util.List.of(Identifier.of(Identifier.TYPE_IP, "256.1.1.1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
