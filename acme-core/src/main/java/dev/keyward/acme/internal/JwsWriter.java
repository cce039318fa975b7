package dev.keyward.acme.internal;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import dev.keyward.acme.SignatureAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the flattened JSON JWS of an ACME request (RFC 8555 section 6.2, RFC 7515 section 7.2.2):
 * {@code alg}, {@code nonce} and {@code url} in the protected header, plus either {@code jwk}
 * (new account, revocation by certificate key, the inner JWS of a key change) or {@code kid}.
 */
public final class JwsWriter {
    private JwsWriter() {
    }

    /**
     * Signs a request.
     *
     * @param signer the key
     * @param url the request URL, put in the header as is
     * @param nonce the nonce, or {@code null} (only for the inner JWS of a key change)
     * @param kid the account URL for a {@code kid} header, or {@code null} for {@code jwk}
     * @param payloadJson the payload JSON, or {@code null} for POST-as-GET (empty payload)
     * @return the flattened JWS as JSON text
     * @throws AcmeSigningException if the signer fails
     */
    public static String sign(AcmeSigner signer, URI url, String nonce, URI kid, String payloadJson)
            throws AcmeSigningException {
        SignatureAlgorithm alg = signer.algorithm();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg.jwsName());
        if (kid != null) {
            header.put("kid", kid.toString());
        } else {
            header.put("jwk", Jwks.toJsonObject(signer.publicKey()));
        }
        if (nonce != null) {
            header.put("nonce", nonce);
        }
        header.put("url", url.toString());
        return signWithHeader(signer, header, payloadJson);
    }

    /**
     * Signs a payload with a given protected header (for External Account Binding and key change).
     *
     * @param signer the key
     * @param header the protected header members
     * @param payloadJson the payload JSON, or {@code null} for an empty payload
     * @return the flattened JWS as JSON text
     * @throws AcmeSigningException if the signer fails
     */
    public static String signWithHeader(AcmeSigner signer, Map<String, Object> header, String payloadJson)
            throws AcmeSigningException {
        String protectedB64 = Base64Url.encode(Json.write(header));
        String payloadB64 = payloadJson == null ? "" : Base64Url.encode(payloadJson);
        byte[] signingInput = (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = signer.sign(signingInput);
        SignatureAlgorithm alg = signer.algorithm();
        if (alg.isEcdsa()) {
            try {
                signature = EcdsaSignatures.derToConcat(signature, alg.coordinateLength());
            } catch (IllegalArgumentException e) {
                throw new AcmeSigningException("signer returned a malformed " + alg.jwsName()
                        + " signature: " + e.getMessage(), e);
            }
        }
        Map<String, Object> jws = new LinkedHashMap<>();
        jws.put("protected", protectedB64);
        jws.put("payload", payloadB64);
        jws.put("signature", Base64Url.encode(signature));
        return Json.write(jws);
    }
}
