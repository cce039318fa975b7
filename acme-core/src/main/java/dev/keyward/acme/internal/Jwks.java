package dev.keyward.acme.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public JWKs (RFC 7517, members per RFC 7518 section 6) and their thumbprints (RFC 7638) for
 * signer keys: RSA, and EC on P-256, P-384 or P-521.
 */
public final class Jwks {
    /** The JOSE curve names (RFC 7518 section 6.2.1.1) and the JDK's parameters of each. */
    private static final String[][] CURVES = {
        {"P-256", "secp256r1"}, {"P-384", "secp384r1"}, {"P-521", "secp521r1"},
    };

    private Jwks() {
    }

    /**
     * The JOSE name of the curve of EC parameters (RFC 7518 section 6.2.1.1).
     *
     * @param params the parameters of an EC key
     * @return {@code P-256}, {@code P-384} or {@code P-521}; {@code null} for any other curve
     */
    public static String curveName(ECParameterSpec params) {
        for (String[] curve : CURVES) {
            ECParameterSpec known = Holder.SPECS.get(curve[0]);
            if (known != null && known.getCurve().equals(params.getCurve())
                    && known.getGenerator().equals(params.getGenerator())
                    && known.getOrder().equals(params.getOrder())
                    && known.getCofactor() == params.getCofactor()) {
                return curve[0];
            }
        }
        return null;
    }

    /**
     * The public JWK of a key as JSON object members, for embedding in a JWS header (RFC 8555
     * section 6.2) or a key change (section 7.3.5). Never holds private parts.
     *
     * @param publicKey an RSA or EC (P-256, P-384, P-521) public key
     * @return the members, in the lexicographic order RFC 7638 section 3.2 asks for
     * @throws IllegalArgumentException for another key type or curve
     */
    public static Map<String, Object> toJsonObject(PublicKey publicKey) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        if (publicKey instanceof RSAPublicKey) {
            RSAPublicKey rsa = (RSAPublicKey) publicKey;
            jwk.put("e", Base64Url.encode(unsigned(rsa.getPublicExponent())));
            jwk.put("kty", "RSA");
            jwk.put("n", Base64Url.encode(unsigned(rsa.getModulus())));
            return jwk;
        }
        if (publicKey instanceof ECPublicKey) {
            ECPublicKey ec = (ECPublicKey) publicKey;
            String curve = curveName(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("unsupported EC curve");
            }
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            jwk.put("crv", curve);
            jwk.put("kty", "EC");
            jwk.put("x", Base64Url.encode(fixed(ec.getW().getAffineX(), size)));
            jwk.put("y", Base64Url.encode(fixed(ec.getW().getAffineY(), size)));
            return jwk;
        }
        throw new IllegalArgumentException("unsupported key type " + publicKey.getAlgorithm());
    }

    /**
     * The SHA-256 JWK thumbprint (RFC 7638), base64url, as used in key authorizations (RFC 8555
     * section 8.1).
     *
     * @param publicKey the key
     * @return the thumbprint
     */
    public static String thumbprint(PublicKey publicKey) {
        // RFC 7638 section 3: the required members only (all that toJsonObject writes), sorted, no
        // white space; every value is base64url or a fixed name, so nothing needs escaping.
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> member : toJsonObject(publicKey).entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(member.getKey()).append("\":\"").append(member.getValue()).append('"');
        }
        json.append('}');
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256")
                    .digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The unsigned big-endian octets of a positive integer, without a leading zero (RFC 7518 section 2). */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** The octets of a coordinate, left-padded to the field size (RFC 7518 section 6.2.1.2). */
    private static byte[] fixed(BigInteger value, int size) {
        byte[] bytes = unsigned(value);
        if (bytes.length > size) {
            throw new IllegalArgumentException("EC coordinate larger than its field");
        }
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
        return out;
    }

    /** The JDK's parameters of the named curves, looked up once. */
    private static final class Holder {
        static final Map<String, ECParameterSpec> SPECS = load();

        private static Map<String, ECParameterSpec> load() {
            Map<String, ECParameterSpec> specs = new LinkedHashMap<>();
            for (String[] curve : CURVES) {
                try {
                    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                    params.init(new ECGenParameterSpec(curve[1]));
                    specs.put(curve[0], params.getParameterSpec(ECParameterSpec.class));
                } catch (GeneralSecurityException e) {
                    // a JDK without this curve: keys on it are reported as unsupported
                }
            }
            return specs;
        }
    }
}
