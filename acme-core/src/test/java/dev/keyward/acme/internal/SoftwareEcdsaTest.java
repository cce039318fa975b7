package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Signers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * ECDSA for EC keys in memory through Bouncy Castle's lightweight API (what {@link Signers#jca}
 * uses for them): the JDK verifies every signature, a private key of another pair is refused,
 * and a key that keeps its scalar to itself signs through the JCA instead.
 */
class SoftwareEcdsaTest {
    private static final byte[] DATA = "protected.payload".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSA, SHA-256", "secp384r1, SHA384withECDSA, SHA-384",
            "secp521r1, SHA512withECDSA, SHA-512"})
    void theJdkVerifiesItsSignaturesOnEveryCurve(String curve, String jcaName, String digest) throws Exception {
        KeyPair pair = generate(curve);
        SoftwareEcdsa ecdsa = SoftwareEcdsa.of(pair.getPrivate(), (ECPublicKey) pair.getPublic(), digest).orElseThrow();

        byte[] first = ecdsa.signDer(DATA);
        byte[] second = ecdsa.signDer(DATA);

        assertThat(ecdsa.matchesPublicKey()).isTrue();
        assertThat(verify(jcaName, pair, first)).isTrue();
        assertThat(verify(jcaName, pair, second)).isTrue();
        assertThat(first).as("a fresh random nonce per signature").isNotEqualTo(second);
    }

    @Test
    void signersOfInMemoryKeysSignThisWayAndTheJdkAgrees() throws Exception {
        KeyPair pair = generate("secp256r1");
        AcmeSigner signer = Signers.jca(pair.getPrivate(), pair.getPublic());

        assertThat(verify("SHA256withECDSA", pair, signer.sign(DATA))).isTrue();
    }

    @Test
    void aPrivateKeyOfAnotherPairIsRefused() throws Exception {
        KeyPair pair = generate("secp256r1");
        KeyPair other = generate("secp256r1");
        KeyPair otherCurve = generate("secp384r1");

        assertThat(SoftwareEcdsa.of(other.getPrivate(), (ECPublicKey) pair.getPublic(), "SHA-256").orElseThrow()
                .matchesPublicKey()).isFalse();
        assertThatThrownBy(() -> Signers.jca(other.getPrivate(), pair.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the private key does not belong to the public key");
        assertThatThrownBy(() -> Signers.jca(otherCurve.getPrivate(), pair.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyThatKeepsItsScalarToItselfIsLeftToTheJca() throws Exception {
        KeyPair pair = generate("secp256r1");
        PrivateKey opaque = new PrivateKey() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };

        assertThat(SoftwareEcdsa.of(opaque, (ECPublicKey) pair.getPublic(), "SHA-256")).isEmpty();
    }

    @Test
    void itsTextNamesTheDigestOnly() throws Exception {
        KeyPair pair = generate("secp256r1");

        assertThat(SoftwareEcdsa.of(pair.getPrivate(), (ECPublicKey) pair.getPublic(), "SHA-256").orElseThrow())
                .hasToString("SoftwareEcdsa{SHA-256}");
    }

    private static KeyPair generate(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static boolean verify(String jcaName, KeyPair pair, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(jcaName);
        verifier.initVerify(pair.getPublic());
        verifier.update(DATA);
        return verifier.verify(signature);
    }
}
