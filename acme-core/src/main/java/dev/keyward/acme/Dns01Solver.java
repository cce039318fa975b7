package dev.keyward.acme;

import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code dns-01} (RFC 8555 section 8.4) through a {@link DnsProvider}: publishes
 * {@code _acme-challenge.<name>} with the base64url SHA-256 digest of the key authorization, and
 * removes it afterwards. The only challenge that proves a wildcard name. The provider's
 * {@code setTxt} returns once the record is served (a provider that publishes asynchronously waits
 * for its own propagation there). Immutable and thread-safe.
 */
public final class Dns01Solver implements ChallengeSolver {
    private static final Logger LOG = LoggerFactory.getLogger(Dns01Solver.class);

    private final DnsProvider provider;

    private Dns01Solver(DnsProvider provider) {
        this.provider = provider;
    }

    /**
     * A solver publishing through the provider.
     *
     * @param provider the DNS provider
     * @return the solver
     */
    public static Dns01Solver using(DnsProvider provider) {
        return new Dns01Solver(Objects.requireNonNull(provider, "provider"));
    }

    /** @return {@code Set.of("dns-01")} */
    @Override
    public Set<String> challengeTypes() {
        return Set.of(Dns01Challenge.TYPE);
    }

    /** @return false for IP identifiers, which have no DNS name (RFC 8738) */
    @Override
    public boolean canSolve(Authorization authorization) {
        return Identifier.TYPE_DNS.equals(authorization.identifier().type());
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        Dns01Challenge dns = requireDns(challenge);
        try {
            provider.setTxt(dns.recordName(), dns.txtValue());
        } catch (Exception e) {
            throw new AcmeSolverException("cannot publish the dns-01 record " + dns.recordName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void remove(Challenge challenge) {
        Dns01Challenge dns = (Dns01Challenge) challenge;
        try {
            provider.removeTxt(dns.recordName(), dns.txtValue());
        } catch (Exception e) {
            LOG.warn("cannot remove the dns-01 record {}: {}", dns.recordName(), e.getMessage());
        }
    }

    private static Dns01Challenge requireDns(Challenge challenge) throws AcmeSolverException {
        if (!(challenge instanceof Dns01Challenge)) {
            throw new AcmeSolverException("not a dns-01 challenge: " + challenge.type(), null);
        }
        return (Dns01Challenge) challenge;
    }

    @Override
    public String toString() {
        return "Dns01Solver{" + provider.getClass().getSimpleName() + "}";
    }
}
