package dev.keyward.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeSigningException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The flattened JSON JWS of an ACME request with a {@code kid} (RFC 8555 section 6.2, RFC 7515
 * section 7.2.2), built step for step as acme-core builds one, through the public {@link AcmeSigner}
 * alone (acme-core's own writer is internal): protected header {@code alg}, {@code kid},
 * {@code nonce}, {@code url}; base64url of header and payload; the signer's signature over both;
 * an ECDSA signature turned from DER into R||S; the flattened JSON.
 */
final class RequestJws {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RequestJws() {
    }

    /** Signs a request: the flattened JWS as JSON text. */
    static String sign(AcmeSigner signer, URI url, String nonce, URI kid, String payloadJson)
            throws AcmeSigningException {
        String header = "{\"alg\":\"" + signer.algorithm().jwsName() + "\",\"kid\":\"" + kid + "\",\"nonce\":\""
                + nonce + "\",\"url\":\"" + url + "\"}";
        String protectedPart = encode(header);
        String payloadPart = encode(payloadJson);
        byte[] signature = signer.sign((protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII));
        if (signer.algorithm().isEcdsa()) {
            try {
                signature = ECDSA.transcodeSignatureToConcat(signature, 2 * signer.algorithm().coordinateLength());
            } catch (JOSEException e) {
                throw new AcmeSigningException("the " + signer.algorithm().jwsName() + " signature is not DER", e);
            }
        }
        return "{\"protected\":\"" + protectedPart + "\",\"payload\":\"" + payloadPart + "\",\"signature\":\""
                + BASE64URL.encodeToString(signature) + "\"}";
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
