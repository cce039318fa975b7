package dev.keyward.acme;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * A POST body read by jose4j, a second JOSE implementation: what a server sees of a request
 * Keyward signed.
 */
final class SignedRequest {
    final JsonNode flattened;
    final JsonWebSignature jws;

    private SignedRequest(JsonNode flattened, JsonWebSignature jws) {
        this.flattened = flattened;
        this.jws = jws;
    }

    static SignedRequest parse(String body) {
        JsonNode node = FakeAcmeServer.parse(body);
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(node.path("protected").asText() + "." + node.path("payload").asText() + "."
                    + node.path("signature").asText());
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a JWS: " + body, e);
        }
        return new SignedRequest(node, jws);
    }

    /** The member names of the flattened JSON serialization. */
    List<String> members() {
        return StreamSupport.stream(((Iterable<String>) flattened::fieldNames).spliterator(), false)
                .collect(Collectors.toList());
    }

    String header(String name) {
        return jws.getHeaders().getStringHeaderValue(name);
    }

    boolean hasHeader(String name) {
        return jws.getHeaders().getObjectHeaderValue(name) != null;
    }

    /** The {@code jwk} header as jose4j reads it, or {@code null}. */
    PublicJsonWebKey jwk() throws JoseException {
        return jws.getJwkHeader();
    }

    String payload() throws JoseException {
        return jws.getUnverifiedPayload();
    }

    boolean verifiesWith(PublicKey key) throws JoseException {
        jws.setKey(key);
        return jws.verifySignature();
    }
}
