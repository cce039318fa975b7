package dev.keyward.acme;

import dev.keyward.acme.internal.Base64Url;
import dev.keyward.acme.internal.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code dns-01} challenge (RFC 8555 section 8.4): publish a TXT record named
 * {@link #recordName()} with the value {@link #txtValue()}, then {@link #respond()}. The only
 * challenge type that can prove control of a wildcard name.
 */
public final class Dns01Challenge extends Challenge {
    /** The challenge type string. */
    public static final String TYPE = "dns-01";

    Dns01Challenge(Login login, Identifier identifier, JsonObject json) {
        super(login, identifier, json);
        if (token().isEmpty()) {
            throw new AcmeProtocolException("dns-01 challenge " + url() + " lacks the required field 'token'");
        }
    }

    /**
     * The name of the TXT record: {@code _acme-challenge.} and the domain, without any
     * {@code *.} prefix, with no trailing dot.
     *
     * @return for example {@code _acme-challenge.example.com}
     */
    public String recordName() {
        String domain = identifier().value();
        if (domain.startsWith("*.")) {
            domain = domain.substring(2);
        }
        return "_acme-challenge." + domain;
    }

    /**
     * The TXT record value: base64url of the SHA-256 digest of the key authorization.
     *
     * @return the value
     */
    public String txtValue() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(keyAuthorization().getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
