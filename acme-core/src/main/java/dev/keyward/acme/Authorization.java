package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An authorization (RFC 8555 section 7.1.4): the server's record of whether the account controls
 * one identifier, with the challenges that prove it (section 8). Immutable.
 */
public final class Authorization {
    private static final Set<Status> WAITING = EnumSet.of(Status.PENDING);

    private final Login login;
    private final URI url;
    private final Identifier identifier;
    private final String rawStatus;
    private final Status status;
    private final Instant expires;
    private final boolean wildcard;
    private final List<Challenge> challenges;
    private final Instant retryAfter;
    private final boolean subdomainAuthAllowed;

    private Authorization(Login login, URI url, Login.Fetched fetched) {
        JsonObject json = fetched.json;
        this.login = login;
        this.url = url;
        JsonObject id = json.optObject("identifier")
                .orElseThrow(() -> new AcmeProtocolException("authorization " + url + " lacks the required field 'identifier'"));
        this.identifier = Identifier.parse(id);
        this.rawStatus = Status.raw(json);
        this.status = Status.parse(rawStatus);
        this.expires = json.optInstant("expires").orElse(null);
        this.wildcard = json.optBoolean("wildcard").orElse(false);
        List<Challenge> list = new ArrayList<>();
        for (JsonObject c : json.objects("challenges")) {
            list.add(Challenge.of(login, identifier, wildcard, c));
        }
        this.challenges = List.copyOf(list);
        this.retryAfter = fetched.retryAfter;
        this.subdomainAuthAllowed = json.optBoolean("subdomainAuthAllowed").orElse(false);
    }

    static Authorization of(Login login, URI url, Login.Fetched fetched) {
        return new Authorization(login, url, fetched);
    }

    static Authorization fetch(Login login, URI url) throws AcmeException {
        return new Authorization(login, url, login.fetch(url, "authorization " + url));
    }

    /** @return the authorization URL */
    public URI url() {
        return url;
    }

    /** @return the identifier (for a wildcard, without the {@code *.}; see {@link #isWildcard()}) */
    public Identifier identifier() {
        return identifier;
    }

    /** @return the status (section 7.1.6) */
    public Status status() {
        return status;
    }

    /** @return the status string exactly as the server sent it */
    public String rawStatus() {
        return rawStatus;
    }

    /** @return when the authorization expires, if the server said */
    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    /** @return whether this authorizes a wildcard name (section 7.1.4) */
    public boolean isWildcard() {
        return wildcard;
    }

    /**
     * Whether this authorization of a domain also authorizes its subdomains (RFC 9444 section
     * 4.1): an order for {@code www.example.com} may list the authorization of
     * {@code example.com} when this is true.
     *
     * @return the flag, false when absent
     */
    public boolean subdomainAuthAllowed() {
        return subdomainAuthAllowed;
    }

    /** @return every challenge offered, of any type, in the server's order */
    public List<Challenge> challenges() {
        return challenges;
    }

    /** @return the instant of the {@code Retry-After} of the response this snapshot came from */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The first challenge of a given class, for example {@link Http01Challenge}.
     *
     * @param type the challenge class
     * @param <T> the challenge class
     * @return the challenge, or empty when the server does not offer that type
     */
    public <T extends Challenge> Optional<T> challenge(Class<T> type) {
        return challenges.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /**
     * The first challenge of a given type string, for example {@code tls-alpn-01}.
     *
     * @param type the challenge type
     * @return the challenge, or empty
     */
    public Optional<Challenge> challenge(String type) {
        return challenges.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /**
     * Fetches the authorization again (POST-as-GET). One request.
     *
     * @return the fresh snapshot
     * @throws AcmeException if the server refuses or cannot be reached
     */
    public Authorization fetch() throws AcmeException {
        return fetch(login, url);
    }

    /**
     * Polls while the authorization is {@code pending} (section 7.5.1), with the client's
     * {@link PollPolicy}. One request per poll. Call it after answering a challenge.
     *
     * @return the authorization once {@code valid}
     * @throws AcmeChallengeFailedException naming the identifier and the challenge type, carrying
     *     the failed challenge's problem document, when it becomes {@code invalid} (or another
     *     final status)
     * @throws AcmeTimeoutException at the policy's deadline
     */
    public Authorization awaitCompletion() throws AcmeException {
        return awaitCompletion(login.session().pollPolicy());
    }

    /**
     * As {@link #awaitCompletion()}, with the given policy.
     *
     * @param policy how to poll
     * @return the authorization once {@code valid}
     * @throws AcmeException as {@link #awaitCompletion()}
     */
    public Authorization awaitCompletion(PollPolicy policy) throws AcmeException {
        Authorization done = Poller.await(this, WAITING, Authorization::fetch, Authorization::status, Authorization::retryAfter, policy, login.session(), "authorization " + url + " for " + identifier, Duration.ZERO);
        if (done.status == Status.VALID) {
            return done;
        }
        throw done.failure();
    }

    /** The identifier as an order names it: with {@code *.} for a wildcard (section 7.1.4). */
    Identifier requested() {
        return wildcard ? Identifier.of(identifier.type(), "*." + identifier.value()) : identifier;
    }

    /**
     * Why this authorization is not valid: the failed challenge's type and problem document, or
     * a problem naming the status when the CA gave none.
     */
    AcmeChallengeFailedException failure() {
        Challenge failed = challenges.stream()
                .filter(c -> c.error().isPresent() || c.status() == Status.INVALID).findFirst().orElse(null);
        Identifier named = requested();
        Problem problem = failed != null && failed.error().isPresent() ? failed.error().get()
                : Problem.of(URI.create("about:blank"), "authorization " + url + " for " + named.value()
                        + " is " + rawStatus, null);
        return new AcmeChallengeFailedException(named, failed != null ? failed.type() : "none", url, problem, null);
    }

    /**
     * Deactivates the authorization (section 7.5.2), so that nobody holding the account key can
     * use it to issue for this identifier any more. One request.
     *
     * @return the deactivated snapshot
     * @throws AcmeException if the server refuses (for example an authorization that is invalid
     *     already) or cannot be reached
     */
    public Authorization deactivate() throws AcmeException {
        return deactivate(login, url);
    }

    /** Deactivates by URL alone, for a caller that has no snapshot (one request). */
    static Authorization deactivate(Login login, URI url) throws AcmeException {
        return new Authorization(login, url, login.post(url, java.util.Map.of("status", "deactivated"),
                "authorization " + url));
    }

    @Override
    public String toString() {
        return "Authorization{" + url + ", " + identifier + (wildcard ? " (wildcard)" : "") + ", " + rawStatus + "}";
    }
}
