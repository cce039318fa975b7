package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;

/**
 * The {@code http-01} challenge (RFC 8555 section 8.3): serve {@link #keyAuthorization()} as
 * {@code text/plain} at {@code http://<domain>/.well-known/acme-challenge/<token>} on port 80,
 * then {@link #respond()}.
 */
public final class Http01Challenge extends Challenge {
    /** The challenge type string. */
    public static final String TYPE = "http-01";

    Http01Challenge(Login login, Identifier identifier, JsonObject json) {
        super(login, identifier, json);
        if (token().isEmpty()) {
            throw new AcmeProtocolException("http-01 challenge " + url() + " lacks the required field 'token'");
        }
    }

    /**
     * The path to serve the key authorization at.
     *
     * @return {@code /.well-known/acme-challenge/<token>}
     */
    public String path() {
        return "/.well-known/acme-challenge/" + token().orElseThrow();
    }

    /**
     * The token, which is always present for this type.
     *
     * @return the token
     */
    public String tokenValue() {
        return token().orElseThrow();
    }
}
