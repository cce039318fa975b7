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
     * The inner JWS of a key change (RFC 8555 section 7.3.5): signed by the new key, with its
     * {@code jwk} and the {@code url} but no {@code nonce}; the payload names the account and the
     * old key.
     *
     * @param newKey the new key
     * @param keyChangeUrl the {@code keyChange} URL
     * @param accountUrl the account URL
     * @param oldKey the old public key
     * @return the inner JWS as JSON text
     * @throws AcmeSigningException if the new key's signer fails
     */
    public static String keyChange(AcmeSigner newKey, URI keyChangeUrl, URI accountUrl, java.security.PublicKey oldKey)
            throws AcmeSigningException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("account", accountUrl.toString());
        payload.put("oldKey", Jwks.toJsonObject(oldKey));
        return sign(newKey, keyChangeUrl, null, null, Json.write(payload));
    }

    /**
     * The External Account Binding JWS (RFC 8555 section 7.3.4): MAC over the account's public JWK,
     * with {@code alg}, {@code kid} (the CA's key identifier) and {@code url} (newAccount).
     *
     * @param jcaMac the JCA MAC algorithm, for example {@code HmacSHA256}
     * @param jwsAlg the JWS name, for example {@code HS256}
     * @param macKey the MAC key; not kept
     * @param keyId the CA's key identifier
     * @param newAccountUrl the newAccount URL
     * @param accountKey the account's public key
     * @return the binding JWS as a JSON object map
     */
    public static Map<String, Object> externalAccountBinding(String jcaMac, String jwsAlg, byte[] macKey, String keyId,
                                                            URI newAccountUrl, java.security.PublicKey accountKey) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", jwsAlg);
        header.put("kid", keyId);
        header.put("url", newAccountUrl.toString());
        String protectedB64 = Base64Url.encode(Json.write(header));
        String payloadB64 = Base64Url.encode(Json.write(Jwks.toJsonObject(accountKey)));
        byte[] mac;
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance(jcaMac);
            m.init(new javax.crypto.spec.SecretKeySpec(macKey, jcaMac));
            mac = m.doFinal((protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(jcaMac + " is not available", e);
        } finally {
            java.util.Arrays.fill(macKey, (byte) 0);
        }
        Map<String, Object> jws = new LinkedHashMap<>();
        jws.put("protected", protectedB64);
        jws.put("payload", payloadB64);
        jws.put("signature", Base64Url.encode(mac));
        return jws;
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
