package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Signers}: the algorithm for a key (RFC 8555 section 6.2, RFC 7518 section 3) and the JCA signer. */
class SignersTest {
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void eachSupportedKeyMapsToItsJwsAlgorithm(TestKeys keys) {
        SignatureAlgorithm algorithm = Signers.algorithmFor(keys.keyPair().getPublic());

        assertThat(algorithm.jwsName()).isEqualTo(keys.jwsAlgorithm);
        assertThat(Signers.jca(keys.keyPair().getPrivate(), keys.keyPair().getPublic()).algorithm()).isEqualTo(algorithm);
    }

    @Test
    void theCurvesMapToTheirCoordinateLengths() {
        assertThat(Signers.algorithmFor(TestKeys.EC_P256.keyPair().getPublic()).coordinateLength()).isEqualTo(32);
        assertThat(Signers.algorithmFor(TestKeys.EC_P384.keyPair().getPublic()).coordinateLength()).isEqualTo(48);
        assertThat(Signers.algorithmFor(TestKeys.EC_P521.keyPair().getPublic()).coordinateLength()).isEqualTo(66);
        assertThat(SignatureAlgorithm.RS256.isEcdsa()).isFalse();
        assertThat(SignatureAlgorithm.ES512.jcaName()).isEqualTo("SHA512withECDSA");
    }

    @Test
    void anRsaKeyOf1024BitsIsRefused() {
        KeyPair weak = TestKeys.rsa(1024);

        assertThatThrownBy(() -> Signers.algorithmFor(weak.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048")
                .hasMessageContaining("1024");
        assertThatThrownBy(() -> Signers.jca(weak.getPrivate(), weak.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysOfOtherTypesAreRefused() throws Exception {
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);

        assertThatThrownBy(() -> Signers.algorithmFor(ed.generateKeyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signers.algorithmFor(dsa.generateKeyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * secp256k1 and brainpoolP256r1 have 256-bit fields like P-256, but ES256 means P-256 only
     * (RFC 7518 section 3.4); a server cannot verify such a signature as ES256.
     */
    @ParameterizedTest
    @ValueSource(strings = {"secp256k1", "brainpoolP256r1", "brainpoolP384r1"})
    void otherCurvesOfTheSameSizeAreRefused(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
        generator.initialize(new ECGenParameterSpec(curve));
        KeyPair keys = generator.generateKeyPair();

        assertThatExceptionOfType(IllegalArgumentException.class)
                .as("Signers.algorithmFor(a %s key) must be refused, not mapped to an ES algorithm", curve)
                .isThrownBy(() -> Signers.algorithmFor(keys.getPublic()));
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void theJcaSignerSignsAsJcaWouldInTheX509Encoding(TestKeys keys) throws Exception {
        AcmeSigner signer = keys.signer();
        byte[] data = "eyJhbGciOiJFUzI1NiJ9.e30".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        byte[] signature = signer.sign(data);

        Signature verifier = Signature.getInstance(signer.algorithm().jcaName());
        verifier.initVerify(keys.keyPair().getPublic());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(signer.publicKey()).isEqualTo(keys.keyPair().getPublic());
        if (signer.algorithm().isEcdsa()) {
            assertThat(signature[0]).as("a DER SEQUENCE").isEqualTo((byte) 0x30);
        }
    }

    @Test
    void aSignerInAGivenProviderSignsThere() throws Exception {
        KeyPair keys = TestKeys.EC_P256.keyPair();
        Provider sunEc = Security.getProvider("SunEC");

        AcmeSigner signer = Signers.jca(keys.getPrivate(), keys.getPublic(), sunEc);

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign(new byte[] {1, 2, 3}))).isTrue();
        assertThat(signer.toString()).contains("SunEC");
        assertThatThrownBy(() -> Signers.jca(keys.getPrivate(), keys.getPublic(), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aPrivateKeyThatCannotSignIsRefusedAtConstructionNamingNoKeyMaterial() {
        KeyPair rsa = TestKeys.RSA_2048.keyPair();

        assertThatThrownBy(() -> Signers.jca(rsa.getPrivate(), TestKeys.EC_P256.keyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHA256withECDSA")
                .satisfies(e -> assertNoKeyMaterial(e.getMessage(), rsa))
                .satisfies(e -> assertNoKeyMaterial(String.valueOf(e.getCause()), rsa));
    }

    @ParameterizedTest
    @EnumSource(TestKeys.class)
    void theSignersToStringRevealsNoKeyMaterial(TestKeys keys) {
        AcmeSigner signer = keys.signer();

        String text = signer.toString();

        assertThat(text).contains(keys.jwsAlgorithm);
        assertNoKeyMaterial(text, keys.keyPair());
    }

    private static void assertNoKeyMaterial(String text, KeyPair keys) {
        byte[] encoded = keys.getPrivate().getEncoded();
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(encoded))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(encoded));
        for (BigInteger secret : secrets(keys)) {
            assertThat(text).doesNotContain(secret.toString())
                    .doesNotContainIgnoringCase(secret.toString(16))
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.toByteArray()));
        }
    }

    private static BigInteger[] secrets(KeyPair keys) {
        if (keys.getPrivate() instanceof ECPrivateKey) {
            return new BigInteger[] {((ECPrivateKey) keys.getPrivate()).getS()};
        }
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) keys.getPrivate();
        return new BigInteger[] {rsa.getPrivateExponent(), rsa.getPrimeP(), rsa.getPrimeQ()};
    }

    @Test
    void aPrivateKeyThatDoesNotBelongToThePublicKeyIsRefusedAtOnce() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair one = generator.generateKeyPair();
        KeyPair other = generator.generateKeyPair();

        assertThatThrownBy(() -> Signers.jca(one.getPrivate(), other.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
        assertThat(Signers.jca(one.getPrivate(), one.getPublic()).publicKey()).isEqualTo(one.getPublic());
    }
}
