package dev.keyward.acme;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * An identifier of an order or authorization (RFC 8555 section 7.1.3, section 9.7.7 for the
 * {@code dns} type). Immutable.
 */
public final class Identifier implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The identifier type {@code dns}. */
    public static final String TYPE_DNS = "dns";
    /** The identifier type {@code ip} (RFC 8738). */
    public static final String TYPE_IP = "ip";

    /** The identifier type. */
    private final String type;
    /** The identifier value. */
    private final String value;

    private Identifier(String type, String value) {
        this.type = type;
        this.value = value;
    }

    /**
     * A {@code dns} identifier. The name is converted to its ASCII (A-label) form and lower case;
     * a leading {@code *.} makes it a wildcard.
     *
     * @param domain the domain name, for example {@code www.example.com} or {@code *.example.com}
     * @return the identifier
     * @throws IllegalArgumentException if the name is empty or not a valid domain name
     */
    public static Identifier dns(String domain) {
        Objects.requireNonNull(domain, "domain");
        String trimmed = domain.trim();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("domain name is empty");
        }
        boolean wildcard = trimmed.startsWith("*.");
        String rest = wildcard ? trimmed.substring(2) : trimmed;
        String ascii;
        try {
            ascii = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name: " + domain, e);
        }
        if (ascii.isEmpty() || ascii.length() > 253 || ascii.contains("*") || ascii.startsWith(".")
                || ascii.endsWith(".") || ascii.contains("..")) {
            throw new IllegalArgumentException("not a valid domain name: " + domain);
        }
        if (ascii.matches("[0-9.]+") || ascii.contains(":")) {
            throw new IllegalArgumentException(domain + " is an IP address: use an ip identifier (RFC 8738)");
        }
        return new Identifier(TYPE_DNS, wildcard ? "*." + ascii : ascii);
    }

    /**
     * An {@code ip} identifier (RFC 8738) in canonical text: IPv4 as a dotted quad, IPv6 as
     * RFC 5952 recommends ({@code 2001:DB8:0:0:0:0:0:1} becomes {@code 2001:db8::1}; an
     * IPv4-mapped address stays IPv6, {@code ::ffff:192.0.2.1}). Only literals are accepted: a
     * name is never looked up in the DNS.
     *
     * @param address an IPv4 literal (four decimal parts 0-255, no leading zeros) or an IPv6
     *     literal (optionally in brackets; no zone index, no prefix length)
     * @return the identifier
     * @throws IllegalArgumentException if the text is not an IP address literal
     */
    public static Identifier ip(String address) {
        Objects.requireNonNull(address, "address");
        String trimmed = address.trim();
        if (trimmed.length() > 2 && trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        byte[] bytes = dev.keyward.acme.internal.IpAddresses.parse(trimmed);
        return new Identifier(TYPE_IP, dev.keyward.acme.internal.IpAddresses.format(bytes));
    }

    /**
     * An {@code ip} identifier (RFC 8738) for an address, in canonical text.
     *
     * @param address an IPv4 or IPv6 address (its host name, if any, is ignored)
     * @return the identifier
     */
    public static Identifier ip(java.net.InetAddress address) {
        Objects.requireNonNull(address, "address");
        return new Identifier(TYPE_IP, dev.keyward.acme.internal.IpAddresses.format(address.getAddress()));
    }

    /**
     * An identifier of any type, taken as given (for types this library does not know). For
     * {@code ip} prefer {@link #ip(String)}, which checks and normalises the address.
     *
     * @param type the identifier type
     * @param value the identifier value
     * @return the identifier
     */
    public static Identifier of(String type, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type.isEmpty() || value.isEmpty()) {
            throw new IllegalArgumentException("identifier type and value must not be empty");
        }
        return new Identifier(type, value);
    }

    /**
     * An identifier from a server's JSON object: both fields required and non-empty.
     *
     * @throws AcmeProtocolException naming the resource when a field is missing or empty
     */
    static Identifier parse(dev.keyward.acme.internal.JsonObject json) {
        String type = json.string("type");
        String value = json.string("value");
        if (type.isEmpty() || value.isEmpty()) {
            throw new AcmeProtocolException(json.what() + " has an identifier with an empty type or value");
        }
        if (type.length() > 64 || !dev.keyward.acme.internal.Quote.printable(type)) {
            throw new AcmeProtocolException(json.what() + ": field 'type' is not an identifier type: "
                    + dev.keyward.acme.internal.Quote.ca(type));
        }
        if (value.length() > 255 || !dev.keyward.acme.internal.Quote.printable(value)) {
            throw new AcmeProtocolException(json.what() + ": field 'value' is not an identifier (at most 255"
                    + " printable characters): " + dev.keyward.acme.internal.Quote.ca(value));
        }
        return new Identifier(type, value);
    }

    /**
     * The identifier type, for example {@code dns}.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * The identifier value, for example {@code www.example.com}.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    /**
     * Whether this is a {@code dns} identifier for a wildcard name ({@code *.example.com}).
     *
     * @return whether it is a wildcard
     */
    public boolean isWildcard() {
        return TYPE_DNS.equals(type) && value.startsWith("*.");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Identifier)) {
            return false;
        }
        Identifier other = (Identifier) o;
        return type.equals(other.type) && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, value);
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
