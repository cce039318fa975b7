package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Certificate signing requests (RFC 2986) for {@code finalize} (RFC 8555 section 7.4), read back by BouncyCastle. */
class CsrTest {
    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void aBuiltCsrHasTheNamesAsSansTheFirstAsCnAndVerifiesWithItsKey(TestKeys keys) throws Exception {
        AcmeSigner signer = keys.signer();

        Csr csr = Csr.builder().domains("www.example.org", "Example.ORG", "*.example.org").build(signer);

        PKCS10CertificationRequest request = new PKCS10CertificationRequest(csr.der());
        assertThat(commonNames(request.getSubject())).containsExactly("www.example.org");
        assertThat(dnsNames(request)).containsExactly("www.example.org", "example.org", "*.example.org");
        assertThat(request.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.keyPair().getPublic().getEncoded());
        assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.keyPair().getPublic())))
                .isTrue();
        assertThat(csr.publicKey()).isEqualTo(keys.keyPair().getPublic());
    }

    @Test
    void theCommonNameIsTheFirstDnsNameThatFitsIn64Characters() throws Exception {
        String longName = "a".repeat(60) + ".example.org";

        Csr csr = Csr.builder().domains(longName, "short.example.org").build(TestKeys.EC_P256.signer());

        PKCS10CertificationRequest request = new PKCS10CertificationRequest(csr.der());
        assertThat(commonNames(request.getSubject())).containsExactly("short.example.org");
        assertThat(dnsNames(request)).containsExactly(longName, "short.example.org");
    }

    @Test
    void ipIdentifiersBecomeIpAddressSansAndNoCommonName() throws Exception {
        Csr csr = Csr.builder().identifiers(List.of(Identifier.of("ip", "192.0.2.7"), Identifier.of("ip", "2001:db8::1")))
                .build(TestKeys.EC_P256.signer());

        PKCS10CertificationRequest request = new PKCS10CertificationRequest(csr.der());
        assertThat(commonNames(request.getSubject())).isEmpty();
        List<byte[]> addresses = Arrays.stream(sans(request).getNames())
                .filter(n -> n.getTagNo() == GeneralName.iPAddress)
                .map(n -> ASN1OctetString.getInstance(n.getName()).getOctets()).collect(Collectors.toList());
        assertThat(addresses).containsExactly(InetAddress.getByName("192.0.2.7").getAddress(),
                InetAddress.getByName("2001:db8::1").getAddress());
    }

    @Test
    void aCsrRoundTripsThroughPemAndDer() throws Exception {
        Csr csr = Csr.builder().domains("www.example.org").build(TestKeys.EC_P384.signer());

        Csr fromPem = Csr.fromPem(csr.pem());
        Csr fromDer = Csr.fromDer(csr.der());

        assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
                .endsWith("-----END CERTIFICATE REQUEST-----\n");
        assertThat(fromPem.der()).isEqualTo(csr.der());
        assertThat(fromPem.publicKey()).isEqualTo(csr.publicKey());
        assertThat(fromDer.der()).isEqualTo(csr.der());
        assertThat(fromDer.publicKey()).isEqualTo(TestKeys.EC_P384.keyPair().getPublic());
    }

    @Test
    void aCsrMadeElsewhereIsReadFromPem() throws Exception {
        KeyPair keys = TestKeys.RSA_2048.keyPair();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=www.example.org"),
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(request);
        }

        Csr csr = Csr.fromPem("# made by openssl req\n" + pem);

        assertThat(csr.der()).isEqualTo(request.getEncoded());
        assertThat(csr.publicKey()).isEqualTo(keys.getPublic());
    }

    @Test
    void theOldNewCertificateRequestPemLabelIsRead() throws Exception {
        Csr csr = Csr.builder().domains("www.example.org").build(TestKeys.EC_P256.signer());
        String oldStyle = csr.pem().replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

        assertThat(Csr.fromPem(oldStyle).der()).isEqualTo(csr.der());
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIsRejected() throws Exception {
        byte[] der = Csr.builder().domains("www.example.org").build(TestKeys.RSA_2048.signer()).der();
        der[der.length - 1] ^= 0x01;

        assertThatThrownBy(() -> Csr.fromDer(der))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void somethingThatIsNoCsrIsRejected() {
        assertThatThrownBy(() -> Csr.fromDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Csr.fromPem("no PEM here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Csr.fromPem("-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDerIsACopy() throws Exception {
        Csr csr = Csr.builder().domains("www.example.org").build(TestKeys.EC_P256.signer());
        byte[] der = csr.der();
        der[0] = 0;

        assertThat(csr.der()[0]).isEqualTo((byte) 0x30);
    }

    @Test
    void aCsrNeedsAnIdentifierOfATypeItCanHold() {
        assertThatThrownBy(() -> Csr.builder().build(TestKeys.EC_P256.signer())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Csr.builder().identifiers(List.of(Identifier.of("email", "a@example.org"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Csr.builder().domains("not a name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingSignerFailsTheBuild() {
        PublicKey key = TestKeys.EC_P256.keyPair().getPublic();
        AcmeSigner offline = new AcmeSigner() {
            @Override
            public SignatureAlgorithm algorithm() {
                return SignatureAlgorithm.ES256;
            }

            @Override
            public PublicKey publicKey() {
                return key;
            }

            @Override
            public byte[] sign(byte[] data) throws AcmeSigningException {
                throw new AcmeSigningException("HSM is offline", new SignatureException("offline"));
            }
        };

        assertThatThrownBy(() -> Csr.builder().domains("www.example.org").build(offline))
                .isInstanceOf(AcmeSigningException.class)
                .hasMessageContaining("HSM is offline");
    }

    private static List<String> commonNames(X500Name subject) {
        return Arrays.stream(subject.getRDNs(BCStyle.CN)).map(RDN::getFirst)
                .map(a -> IETFUtils.valueToString(a.getValue())).collect(Collectors.toList());
    }

    private static GeneralNames sans(PKCS10CertificationRequest request) {
        Extensions extensions = Extensions.getInstance(
                request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        return GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    }

    private static List<String> dnsNames(PKCS10CertificationRequest request) {
        return Arrays.stream(sans(request).getNames()).filter(n -> n.getTagNo() == GeneralName.dNSName)
                .map(n -> n.getName().toString()).collect(Collectors.toList());
    }
}
