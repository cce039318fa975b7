package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The {@code dns-persist-01} challenge (draft-ietf-acme-dns-persist, an Internet-Draft that may
 * still change): a TXT record at {@code _validation-persist.<domain>} that names one of the CA's
 * issuer domain names and the account, and may stay in place for later orders:
 * {@code <issuer-domain-name>; accounturi=<account URL>}, with {@code ; policy=wildcard} for a
 * wildcard authorization and an optional {@code ; persistUntil=<seconds since the epoch>}.
 */
public final class DnsPersist01Challenge extends Challenge {
    /** The challenge type string. */
    public static final String TYPE = "dns-persist-01";

    private final List<String> issuerDomainNames;

    DnsPersist01Challenge(Login login, Identifier identifier, boolean wildcard, JsonObject json) {
        super(login, identifier, wildcard, json);
        this.issuerDomainNames = List.copyOf(json.strings("issuer-domain-names"));
        if (issuerDomainNames.isEmpty()) {
            throw new AcmeProtocolException("dns-persist-01 challenge " + url()
                    + " lacks the required field 'issuer-domain-names'");
        }
    }

    /** @return the CA's issuer domain names, in the CA's order; the record names one of them */
    public List<String> issuerDomainNames() {
        return issuerDomainNames;
    }

    /**
     * The name of the TXT record: {@code _validation-persist.} and the domain, without any
     * {@code *.} prefix and without a trailing dot.
     *
     * @return for example {@code _validation-persist.example.org}
     */
    public String recordName() {
        String domain = identifier().value();
        if (domain.startsWith("*.")) {
            domain = domain.substring(2);
        }
        return "_validation-persist." + domain.toLowerCase(Locale.ROOT);
    }

    /**
     * The record value naming the CA's first issuer domain name and this account, with
     * {@code policy=wildcard} when the authorization is for a wildcard, never expiring.
     *
     * @return the value
     */
    public String txtValue() {
        return txtValue(null);
    }

    /**
     * As {@link #txtValue()}, valid only until the given instant ({@code persistUntil}).
     *
     * @param persistUntil the end of the record's validity, or {@code null} for none
     * @return the value
     */
    public String txtValue(Instant persistUntil) {
        StringBuilder value = new StringBuilder(issuerDomainNames.get(0).toLowerCase(Locale.ROOT))
                .append("; accounturi=").append(accountUrl());
        if (isWildcard()) {
            value.append("; policy=wildcard");
        }
        if (persistUntil != null) {
            value.append("; persistUntil=").append(persistUntil.getEpochSecond());
        }
        return value.toString();
    }
}
