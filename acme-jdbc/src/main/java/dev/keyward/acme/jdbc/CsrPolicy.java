package dev.keyward.acme.jdbc;

import dev.keyward.acme.Identifier;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which names a queue accepts in a CSR, checked before any request to the CA (with the signature
 * and the key type: RSA of 2048 to 4096 bits, or ECDSA on P-256 or P-384, the keys public CAs
 * take). A CSR that names anything else becomes a {@code failed} row with the reason, never retried.
 * Immutable.
 */
public final class CsrPolicy {
    /** Any valid DNS name or IP address. */
    public static final CsrPolicy ANY_NAME = new CsrPolicy(List.of());

    private final List<String> domains;

    private CsrPolicy(List<String> domains) {
        this.domains = List.copyOf(domains);
    }

    /**
     * Accepts only DNS names equal to or under one of these domains (and no IP address).
     *
     * @param domains for example {@code example.com}; a name {@code www.example.com} is under it
     * @return the policy
     * @throws IllegalArgumentException if a domain is not a valid DNS name, or none is given
     */
    public static CsrPolicy allowingDomains(List<String> domains) {
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("name at least one allowed domain");
        }
        return new CsrPolicy(domains.stream().map(d -> Identifier.dns(Objects.requireNonNull(d, "domain")).value()
                .toLowerCase(Locale.ROOT)).toList());
    }

    /** @return the allowed domains; empty for any name */
    public List<String> domains() {
        return domains;
    }

    /** Null if allowed, else why not. */
    String refusal(Identifier id) {
        if (domains.isEmpty()) {
            return null;
        }
        if (!Identifier.TYPE_DNS.equals(id.type())) {
            return id.type() + " identifier " + id.value() + " is not allowed (allowed: names under " + domains + ")";
        }
        String name = id.value().toLowerCase(Locale.ROOT);
        String base = name.startsWith("*.") ? name.substring(2) : name;
        for (String d : domains) {
            if (base.equals(d) || base.endsWith("." + d)) {
                return null;
            }
        }
        return "name " + id.value() + " is not under an allowed domain " + domains;
    }

    @Override
    public String toString() {
        return domains.isEmpty() ? "CsrPolicy{any name}" : "CsrPolicy{" + domains + "}";
    }
}
