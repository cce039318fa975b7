package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Public JWKs (RFC 7517, RFC 7518 section 6) and thumbprints (RFC 7638) written without a JOSE library. */
class JwksTest {
    /** The RSA key of RFC 7638 section 3.1. */
    private static final String RFC7638_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFx"
            + "uhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD"
            + "W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4l"
            + "Fd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    @Test
    void theThumbprintOfTheRfc7638ExampleKeyIsTheOneTheRfcGives() throws Exception {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64Url.decode(RFC7638_N)), BigInteger.valueOf(65537)));

        assertThat(Jwks.toJsonObject(key)).containsExactly(Map.entry("e", "AQAB"), Map.entry("kty", "RSA"),
                Map.entry("n", RFC7638_N));
        assertThat(Jwks.thumbprint(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, P-256, 32", "secp384r1, P-384, 48", "secp521r1, P-521, 66"})
    void anEcJwkNamesItsCurveAndCarriesFullLengthCoordinatesThatGiveBackTheKey(String jdkName, String jose,
                                                                               int octets) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jdkName));
        for (int i = 0; i < 20; i++) {
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();

            Map<String, Object> jwk = Jwks.toJsonObject(key);

            assertThat(jwk).containsKeys("crv", "kty", "x", "y").hasSize(4);
            assertThat(jwk.get("crv")).isEqualTo(jose);
            assertThat(jwk.get("kty")).isEqualTo("EC");
            byte[] x = Base64Url.decode((String) jwk.get("x"));
            byte[] y = Base64Url.decode((String) jwk.get("y"));
            assertThat(x).hasSize(octets);
            assertThat(y).hasSize(octets);
            PublicKey rebuilt = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), key.getParams()));
            assertThat(rebuilt).isEqualTo(key);
        }
    }

    @Test
    void aKeyOfAnotherTypeIsRefusedByName() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();

        assertThatThrownBy(() -> Jwks.toJsonObject(ed25519)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported key type");
        assertThatThrownBy(() -> Jwks.thumbprint(ed25519)).isInstanceOf(IllegalArgumentException.class);
    }
}
