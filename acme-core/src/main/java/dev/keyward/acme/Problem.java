package dev.keyward.acme;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A problem document (RFC 7807) as ACME servers send it (RFC 8555 section 6.7): a type such as
 * {@code urn:ietf:params:acme:error:rejectedIdentifier}, a human-readable detail, the HTTP status,
 * an instance URL, and for ACME the identifier it concerns and subproblems (section 6.7.1).
 * Immutable.
 */
public final class Problem implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Prefix of the ACME error types of RFC 8555 section 6.7. */
    public static final String ACME_ERROR_PREFIX = "urn:ietf:params:acme:error:";

    /** The problem type. */
    private final URI type;
    /** The title, or null. */
    private final String title;
    /** How many characters of a detail {@link #toString()} shows. */
    private static final int MAX_DETAIL_SHOWN = 300;
    /** How many subproblems {@link #toString()} lists. */
    private static final int MAX_SUBPROBLEMS_SHOWN = 3;

    /** The detail, or null. */
    private final String detail;
    /** The HTTP status, or null. */
    private final Integer status;
    /** The instance URL, or null. */
    private final URI instance;
    /** The identifier concerned, or null. */
    private final Identifier identifier;
    /** The subproblems. */
    private final List<Problem> subproblems;

    Problem(URI type, String title, String detail, Integer status, URI instance,
            Identifier identifier, List<Problem> subproblems) {
        this.type = type == null ? URI.create("about:blank") : type;
        this.title = title;
        this.detail = detail;
        this.status = status;
        this.instance = instance;
        this.identifier = identifier;
        this.subproblems = List.copyOf(subproblems);
    }

    /**
     * A problem built by the client itself, for a server answer that carried no problem document.
     *
     * @param type the problem type
     * @param detail what happened
     * @param status the HTTP status, or {@code null}
     * @return the problem
     */
    public static Problem of(URI type, String detail, Integer status) {
        return new Problem(type, null, detail, status, null, null, List.of());
    }

    /**
     * The problem type; {@code about:blank} when the server sent none (RFC 7807 section 4.2).
     *
     * @return the type URI
     */
    public URI type() {
        return type;
    }

    /**
     * Whether the type is the ACME error of that name, for example {@code isAcmeError("badNonce")}.
     *
     * @param name the part after {@code urn:ietf:params:acme:error:}
     * @return whether the type matches
     */
    public boolean isAcmeError(String name) {
        return type.toString().equals(ACME_ERROR_PREFIX + name);
    }

    /**
     * The short title (RFC 7807), rarely sent by ACME servers.
     *
     * @return the title, or empty
     */
    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /**
     * The human-readable explanation.
     *
     * @return the detail, or empty
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /**
     * The HTTP status code the server put in the document (or sent with it).
     *
     * @return the status, or empty
     */
    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /**
     * A URL identifying this occurrence, for {@code userActionRequired} the page to visit.
     *
     * @return the instance, or empty
     */
    public Optional<URI> instance() {
        return Optional.ofNullable(instance);
    }

    /**
     * The identifier the problem concerns (RFC 8555 section 6.7.1).
     *
     * @return the identifier, or empty
     */
    public Optional<Identifier> identifier() {
        return Optional.ofNullable(identifier);
    }

    /**
     * Problems for individual identifiers (RFC 8555 section 6.7.1).
     *
     * @return the subproblems, possibly empty, never {@code null}
     */
    public List<Problem> subproblems() {
        return subproblems;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Problem)) {
            return false;
        }
        Problem p = (Problem) o;
        return type.equals(p.type) && Objects.equals(title, p.title) && Objects.equals(detail, p.detail)
                && Objects.equals(status, p.status) && Objects.equals(instance, p.instance)
                && Objects.equals(identifier, p.identifier) && subproblems.equals(p.subproblems);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, detail, status, identifier);
    }

    /**
     * The type, detail, identifier and subproblems on one line.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        line(sb);
        int shown = Math.min(subproblems.size(), MAX_SUBPROBLEMS_SHOWN);
        for (int i = 0; i < shown; i++) {
            sb.append("; ");
            subproblems.get(i).line(sb);
        }
        if (shown < subproblems.size()) {
            sb.append("; and ").append(subproblems.size() - shown).append(" more subproblems");
        }
        return sb.toString();
    }

    /**
     * This problem without its subproblems, with what the CA wrote cut and its control characters
     * escaped, so that a message built from it stays one readable line.
     */
    private void line(StringBuilder sb) {
        String t = type.toString();
        sb.append(dev.keyward.acme.internal.Quote.text(
                t.startsWith(ACME_ERROR_PREFIX) ? t.substring(ACME_ERROR_PREFIX.length()) : t, 100));
        if (status != null) {
            sb.append(" (HTTP ").append(status).append(')');
        }
        if (identifier != null) {
            sb.append(" [").append(dev.keyward.acme.internal.Quote.text(identifier.toString(), 100)).append(']');
        }
        if (detail != null) {
            sb.append(": ").append(dev.keyward.acme.internal.Quote.text(detail, MAX_DETAIL_SHOWN));
        }
    }
}
