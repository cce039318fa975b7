package dev.keyward.acme.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
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

    /**
     * The public key of a JWK (RFC 7517; members per RFC 7518 sections 6.2.1 and 6.3.1). Private
     * members, if present, are ignored here.
     *
     * @param jwk the JWK's members
     * @return the RSA or EC (P-256, P-384, P-521) public key
     * @throws IllegalArgumentException when a member is missing or malformed, or the key type or
     *     curve is not one of those; the message never quotes key material
     */
    public static PublicKey toPublicKey(Map<String, ?> jwk) {
        String kty = member(jwk, "kty");
        try {
            if ("RSA".equals(kty)) {
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(integer(jwk, "n"), integer(jwk, "e")));
            }
            if ("EC".equals(kty)) {
                ECParameterSpec params = curve(jwk);
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new ECPoint(integer(jwk, "x"), integer(jwk, "y")), params));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWK does not describe a valid " + kty + " public key", e);
        }
        throw new IllegalArgumentException("unsupported JWK key type (kty); RSA and EC are supported");
    }

    /**
     * The key pair of a private JWK (RFC 7518 sections 6.2.2 and 6.3.2: {@code d} and, for RSA, the
     * CRT members when all are present).
     *
     * @param jwk the JWK's members
     * @return the key pair
     * @throws IllegalArgumentException when the JWK holds no private key or is malformed; the
     *     message never quotes key material
     */
    public static KeyPair toKeyPair(Map<String, ?> jwk) {
        PublicKey publicKey = toPublicKey(jwk);
        if (!jwk.containsKey("d")) {
            throw new IllegalArgumentException("the JWK holds no private key (member d)");
        }
        KeySpec spec;
        String algorithm;
        if (publicKey instanceof RSAPublicKey) {
            RSAPublicKey rsa = (RSAPublicKey) publicKey;
            algorithm = "RSA";
            if (jwk.containsKey("p") && jwk.containsKey("q") && jwk.containsKey("dp") && jwk.containsKey("dq")
                    && jwk.containsKey("qi")) {
                spec = new RSAPrivateCrtKeySpec(rsa.getModulus(), rsa.getPublicExponent(), integer(jwk, "d"),
                        integer(jwk, "p"), integer(jwk, "q"), integer(jwk, "dp"), integer(jwk, "dq"),
                        integer(jwk, "qi"));
            } else {
                spec = new RSAPrivateKeySpec(rsa.getModulus(), integer(jwk, "d"));
            }
        } else {
            algorithm = "EC";
            spec = new ECPrivateKeySpec(integer(jwk, "d"), ((ECPublicKey) publicKey).getParams());
        }
        try {
            PrivateKey privateKey = KeyFactory.getInstance(algorithm).generatePrivate(spec);
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWK does not describe a valid " + algorithm + " private key", e);
        }
    }

    /**
     * Whether a JWK holds private members (RFC 7518 sections 6.2.2, 6.3.2).
     *
     * @param jwk the JWK's members
     * @return true when {@code d}, {@code p} or {@code q} is present
     */
    public static boolean isPrivate(Map<String, ?> jwk) {
        return jwk.containsKey("d") || jwk.containsKey("p") || jwk.containsKey("q");
    }

    private static ECParameterSpec curve(Map<String, ?> jwk) {
        String crv = member(jwk, "crv");
        ECParameterSpec params = Holder.SPECS.get(crv);
        if (params == null) {
            throw new IllegalArgumentException("unsupported JWK curve (crv); P-256, P-384 and P-521 are supported");
        }
        return params;
    }

    private static String member(Map<String, ?> jwk, String name) {
        Object value = jwk.get(name);
        if (!(value instanceof String) || ((String) value).isEmpty()) {
            throw new IllegalArgumentException("the JWK member " + name + " is missing or not a string");
        }
        return (String) value;
    }

    private static BigInteger integer(Map<String, ?> jwk, String name) {
        try {
            return new BigInteger(1, Base64Url.decode(member(jwk, name)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWK member " + name + " is not base64url", e);
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
