package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A challenge of an authorization (RFC 8555 sections 7.1.5 and 8). Types Keyward knows have
 * their own class ({@link Http01Challenge}, {@link Dns01Challenge}); any other type is a plain
 * {@code Challenge} with its raw fields in {@link #fields()}. Immutable.
 */
public class Challenge {
    private final Login login;
    private final boolean wildcard;
    private final Identifier identifier;
    private final URI url;
    private final String type;
    private final String rawStatus;
    private final Status status;
    private final String token;
    private final Instant validated;
    private final Problem error;
    private final Map<String, Object> fields;

    Challenge(Login login, Identifier identifier, JsonObject json) {
        this(login, identifier, false, json);
    }

    Challenge(Login login, Identifier identifier, boolean wildcard, JsonObject json) {
        this.login = login;
        this.wildcard = wildcard;
        this.identifier = identifier;
        this.url = json.uri("url");
        this.type = json.string("type");
        this.rawStatus = Status.raw(json);
        this.status = Status.parse(rawStatus);
        this.token = json.optString("token").orElse(null);
        if (token != null && (token.isEmpty() || token.length() > 1024 || !token.chars().allMatch(Challenge::base64Url))) {
            throw new AcmeProtocolException(json.what() + ": field 'token' is not a base64url token (RFC 8555"
                    + " section 8.3): " + dev.keyward.acme.internal.Quote.ca(token));
        }
        this.validated = json.optInstant("validated").orElse(null);
        this.error = json.optObject("error").map(Problems::parse).orElse(null);
        this.fields = json.toMap();
    }

    private static boolean base64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    static Challenge of(Login login, Identifier identifier, JsonObject json) {
        return of(login, identifier, false, json);
    }

    static Challenge of(Login login, Identifier identifier, boolean wildcard, JsonObject json) {
        String type = json.string("type");
        switch (type) {
            case DnsAccount01Challenge.TYPE:
                // A draft type whose shape may change: kept as a plain challenge when it does not fit.
                return json.optString("token").isPresent() ? new DnsAccount01Challenge(login, identifier, json)
                        : new Challenge(login, identifier, wildcard, json);
            case DnsPersist01Challenge.TYPE:
                return !json.strings("issuer-domain-names").isEmpty()
                        ? new DnsPersist01Challenge(login, identifier, wildcard, json)
                        : new Challenge(login, identifier, wildcard, json);
            case Http01Challenge.TYPE:
                return new Http01Challenge(login, identifier, json);
            case Dns01Challenge.TYPE:
                return new Dns01Challenge(login, identifier, json);
            case TlsAlpn01Challenge.TYPE: return new TlsAlpn01Challenge(login, identifier, json);
            default:
                return new Challenge(login, identifier, json);
        }
    }

    /** @return the challenge URL */
    public final URI url() {
        return url;
    }

    /** @return the challenge type, for example {@code http-01} */
    public final String type() {
        return type;
    }

    /** @return the status (section 7.1.6) */
    public final Status status() {
        return status;
    }

    /** @return the status string exactly as the server sent it */
    public final String rawStatus() {
        return rawStatus;
    }

    /** @return the identifier of the authorization this challenge belongs to */
    public final Identifier identifier() {
        return identifier;
    }

    /** @return the token (section 8.3, 8.4), for types that have one */
    public final Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** @return when the server validated the challenge, if it did */
    public final Optional<Instant> validated() {
        return Optional.ofNullable(validated);
    }

    /** @return the error of a failed validation (section 7.1.5) */
    public final Optional<Problem> error() {
        return Optional.ofNullable(error);
    }

    /** @return every field of the challenge object as plain values, including unknown ones */
    public final Map<String, Object> fields() {
        return fields;
    }

    /**
     * The key authorization (section 8.1): the token, a dot, and the account key's JWK thumbprint.
     *
     * @return the key authorization
     * @throws IllegalStateException if this challenge has no token
     */
    public final String keyAuthorization() {
        if (token == null) {
            throw new IllegalStateException(type + " challenge " + url + " has no token");
        }
        return token + "." + login.thumbprint();
    }

    /**
     * Tells the server the challenge is ready to be validated (section 7.5.1): POSTs {@code {}}
     * to the challenge URL. One request. Then poll the authorization with
     * {@link Authorization#awaitCompletion()}.
     *
     * @return the challenge as the server answered, usually {@code pending} or {@code processing}
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public final Challenge respond() throws AcmeException {
        return of(login, identifier, wildcard, login.post(url, Map.of(), "challenge " + url).json);
    }

    /**
     * Fetches the challenge again (POST-as-GET). One request.
     *
     * @return the fresh snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public final Challenge fetch() throws AcmeException {
        return of(login, identifier, wildcard, login.fetch(url, "challenge " + url).json);
    }

    /** @return whether the authorization of this challenge is for a wildcard name (RFC 8555 section 7.1.4) */
    public final boolean isWildcard() {
        return wildcard;
    }

    /** The account URL of the account this challenge was fetched by (dns-account-01, dns-persist-01). */
    final URI accountUrl() {
        return login.accountUrl();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + type + ", " + url + ", " + rawStatus + "}";
    }
}
