package dev.keyward.acme;

import dev.keyward.acme.internal.HttpResponse;
import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonObject;
import dev.keyward.acme.internal.Jwks;
import dev.keyward.acme.internal.RetryAfter;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * An account URL with the signer of its key and the session: what every resource of the account
 * needs to send {@code kid}-signed requests (RFC 8555 section 6.2). Immutable.
 */
final class Login {
    private final Session session;
    private final AcmeSigner signer;
    private final URI accountUrl;
    private volatile String thumbprint;

    Login(Session session, AcmeSigner signer, URI accountUrl) {
        this.session = session;
        this.signer = signer;
        this.accountUrl = accountUrl;
    }

    Session session() {
        return session;
    }

    AcmeSigner signer() {
        return signer;
    }

    URI accountUrl() {
        return accountUrl;
    }

    /** The base64url SHA-256 JWK thumbprint of the account key (RFC 8555 section 8.1). */
    String thumbprint() {
        String t = thumbprint;
        if (t == null) {
            t = Jwks.thumbprint(signer.publicKey());
            thumbprint = t;
        }
        return t;
    }

    /** POST-as-GET (section 6.3) expecting a JSON resource. */
    Fetched fetch(URI url, String what) throws AcmeException {
        return Fetched.of(session.post(url, signer, accountUrl, null, Session.ACCEPT_JSON), what, session.clock().now());
    }

    /** Signed POST with a JSON payload expecting a JSON resource. */
    Fetched post(URI url, Object payload, String what) throws AcmeException {
        return Fetched.of(session.post(url, signer, accountUrl, Json.write(payload), Session.ACCEPT_JSON), what,
                session.clock().now());
    }

    /** A JSON resource with the headers that matter: {@code Location} and {@code Retry-After}. */
    static final class Fetched {
        final HttpResponse response;
        final JsonObject json;
        final Instant retryAfter;

        private Fetched(HttpResponse response, JsonObject json, Instant retryAfter) {
            this.response = response;
            this.json = json;
            this.retryAfter = retryAfter;
        }

        static Fetched of(HttpResponse response, String what, Instant now) {
            JsonObject json = Json.parseObject(response.body(), what);
            return new Fetched(response, json, RetryAfter.parse(response.header("Retry-After").orElse(null), now)
                    .orElse(null));
        }

        /** The {@code Location} header, required on a created resource (section 7.3, 7.4). */
        URI location(String what) {
            Optional<String> location = response.header("Location").map(String::trim).filter(l -> !l.isEmpty());
            if (location.isEmpty()) {
                throw new AcmeProtocolException(what + " answered without a Location header");
            }
            if (location.get().length() > JsonObject.MAX_URL_LENGTH) {
                throw new AcmeProtocolException(what + " answered with a Location of " + location.get().length()
                        + " characters, longer than the " + JsonObject.MAX_URL_LENGTH + " this client accepts");
            }
            URI uri;
            try {
                uri = response.url().resolve(location.get());
            } catch (IllegalArgumentException e) {
                throw new AcmeProtocolException(what + " answered with a malformed Location header", e);
            }
            if (!dev.keyward.acme.internal.HttpUrls.isUsable(uri)) {
                throw new AcmeProtocolException(what + " answered with a Location that is not an http(s) URL: "
                        + dev.keyward.acme.internal.Quote.ca(location.get()));
            }
            if (response.url().getScheme().equalsIgnoreCase("https") && !uri.getScheme().equalsIgnoreCase("https")) {
                throw new AcmeProtocolException(what + " answered with a Location without TLS: " + uri);
            }
            return uri;
        }
    }
}
