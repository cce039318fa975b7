package dev.keyward.acme.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/** Public JWKs (RFC 7517) and their thumbprints (RFC 7638) for signer keys, via Nimbus. */
public final class Jwks {
    private Jwks() {
    }

    /**
     * The public JWK of a key.
     *
     * @param publicKey an RSA or EC public key
     * @return the public JWK, never holding private parts
     */
    public static JWK publicJwk(PublicKey publicKey) {
        if (publicKey instanceof RSAPublicKey) {
            return new RSAKey.Builder((RSAPublicKey) publicKey).build().toPublicJWK();
        }
        if (publicKey instanceof ECPublicKey) {
            ECPublicKey ec = (ECPublicKey) publicKey;
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("unsupported EC curve");
            }
            return new ECKey.Builder(curve, ec).build().toPublicJWK();
        }
        throw new IllegalArgumentException("unsupported key type " + publicKey.getAlgorithm());
    }

    /**
     * The JWK as a JSON object map, for embedding in a JWS header.
     *
     * @param publicKey the key
     * @return the JWK members
     */
    public static Map<String, Object> toJsonObject(PublicKey publicKey) {
        return publicJwk(publicKey).toJSONObject();
    }

    /**
     * The SHA-256 JWK thumbprint (RFC 7638), base64url, as used in key authorizations (RFC 8555
     * section 8.1).
     *
     * @param publicKey the key
     * @return the thumbprint
     */
    public static String thumbprint(PublicKey publicKey) {
        try {
            return publicJwk(publicKey).computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
