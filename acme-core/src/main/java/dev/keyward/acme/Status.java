package dev.keyward.acme;

import java.util.Locale;

/**
 * Status of an ACME resource (RFC 8555 section 7.1.6). A status string this enum does not know
 * maps to {@link #UNKNOWN}; the resource keeps the raw string as well.
 */
public enum Status {
    /** {@code pending}: waiting for the client or the server. */
    PENDING,
    /** {@code ready}: an order whose authorizations are all valid, awaiting finalization. */
    READY,
    /** {@code processing}: the server is working (validation or issuance). */
    PROCESSING,
    /** {@code valid}: done successfully. */
    VALID,
    /** {@code invalid}: failed; the resource carries the error. */
    INVALID,
    /** {@code revoked}: revoked by the server. */
    REVOKED,
    /** {@code deactivated}: deactivated by the client. */
    DEACTIVATED,
    /** {@code expired}: expired before completion. */
    EXPIRED,
    /** A status string that RFC 8555 does not define. */
    UNKNOWN;

    /**
     * Maps a status string of RFC 8555 section 7.1.6 to its constant.
     *
     * @param value the string from the server, case-insensitive; {@code null} gives {@link #UNKNOWN}
     * @return the constant, or {@link #UNKNOWN}
     */
    public static Status parse(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "pending": return PENDING;
            case "ready": return READY;
            case "processing": return PROCESSING;
            case "valid": return VALID;
            case "invalid": return INVALID;
            case "revoked": return REVOKED;
            case "deactivated": return DEACTIVATED;
            case "expired": return EXPIRED;
            default: return UNKNOWN;
        }
    }

    /**
     * The status field of a resource exactly as the CA sent it: 1 to 64 printable characters, even when
     * RFC 8555 does not define it (it then reads as {@link #UNKNOWN}).
     *
     * @param json the resource
     * @return the raw status
     * @throws AcmeProtocolException if the field is missing, not a string, empty, too long or not printable
     */
    static String raw(dev.keyward.acme.internal.JsonObject json) {
        String raw = json.string("status");
        if (raw.isEmpty() || raw.length() > 64 || !dev.keyward.acme.internal.Quote.printable(raw)) {
            throw new AcmeProtocolException(json.what() + ": field 'status' is not a status (1 to 64 printable"
                    + " characters): "
                    + dev.keyward.acme.internal.Quote.ca(raw));
        }
        return raw;
    }

    /**
     * The protocol string of this status.
     *
     * @return for example {@code "pending"}; {@code "unknown"} for {@link #UNKNOWN}
     */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
