package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code tls-alpn-01} challenge (RFC 8737): answer TLS handshakes that offer the ALPN
 * protocol {@value #ALPN_PROTOCOL} for the identifier's name on port 443 with a self-signed
 * validation certificate ({@link TlsAlpn01Certificates}), then {@link #respond()}. Ready solvers:
 * {@link TlsAlpn01Server} (an embedded responder on a port of its own) and
 * {@link TlsAlpn01KeyManager} (the caller's own TLS server keeps answering on its port).
 */
public final class TlsAlpn01Challenge extends Challenge {
    /** The challenge type string. */
    public static final String TYPE = "tls-alpn-01";
    /** The ALPN protocol name of validation handshakes (RFC 8737 section 6.2). */
    public static final String ALPN_PROTOCOL = "acme-tls/1";

    TlsAlpn01Challenge(Login login, Identifier identifier, JsonObject json) {
        super(login, identifier, json);
        if (token().isEmpty()) {
            throw new AcmeProtocolException("tls-alpn-01 challenge " + url() + " lacks the required field 'token'");
        }
    }

    /**
     * The token (RFC 8737 section 3 requires one; a challenge without it cannot be answered,
     * and the solvers refuse to deploy it).
     *
     * @return the token
     * @throws IllegalStateException if the CA sent none
     */
    public String tokenValue() {
        return token().orElseThrow(() -> new IllegalStateException("tls-alpn-01 challenge " + url() + " has no token"));
    }

    /**
     * The value of the validation certificate's {@code id-pe-acmeIdentifier} extension before
     * its OCTET STRING wrapping: the SHA-256 digest of the key authorization (RFC 8737 section 3).
     *
     * @return 32 bytes
     * @throws IllegalStateException if the challenge has no token
     */
    public byte[] acmeValidationDigest() {
        return digest(keyAuthorization());
    }

    /**
     * The name the validator sends as SNI: the {@code dns} name, or for an {@code ip} identifier
     * its reverse-DNS name (RFC 8738 section 6).
     *
     * @return the server name
     */
    public String serverName() {
        return TlsAlpn01Certificates.serverName(identifier());
    }

    static byte[] digest(String keyAuthorization) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
