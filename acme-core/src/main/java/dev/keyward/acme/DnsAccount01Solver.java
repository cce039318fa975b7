package dev.keyward.acme;

import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code dns-account-01} (draft-ietf-acme-dns-account-label) through a
 * {@link DnsProvider}: publishes {@code _<account label>._acme-challenge.<name>} with the digest
 * of the key authorization and removes it afterwards. Proves wildcards like dns-01, and lets
 * several clients with their own accounts validate one name at once. Immutable and thread-safe.
 */
public final class DnsAccount01Solver implements ChallengeSolver {
    private static final Logger LOG = LoggerFactory.getLogger(DnsAccount01Solver.class);

    private final DnsProvider provider;

    private DnsAccount01Solver(DnsProvider provider) {
        this.provider = provider;
    }

    /**
     * A solver publishing through the provider.
     *
     * @param provider the DNS provider
     * @return the solver
     */
    public static DnsAccount01Solver using(DnsProvider provider) {
        return new DnsAccount01Solver(Objects.requireNonNull(provider, "provider"));
    }

    /** @return {@code Set.of("dns-account-01")} */
    @Override
    public Set<String> challengeTypes() {
        return Set.of(DnsAccount01Challenge.TYPE);
    }

    /** @return false for IP identifiers, which have no DNS name */
    @Override
    public boolean canSolve(Authorization authorization) {
        return Identifier.TYPE_DNS.equals(authorization.identifier().type());
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        if (!(challenge instanceof DnsAccount01Challenge)) {
            throw new AcmeSolverException("not a dns-account-01 challenge: " + challenge.type(), null);
        }
        DnsAccount01Challenge dns = (DnsAccount01Challenge) challenge;
        try {
            provider.setTxt(dns.recordName(), dns.txtValue());
        } catch (Exception e) {
            throw new AcmeSolverException("cannot publish the dns-account-01 record " + dns.recordName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void remove(Challenge challenge) {
        DnsAccount01Challenge dns = (DnsAccount01Challenge) challenge;
        try {
            provider.removeTxt(dns.recordName(), dns.txtValue());
        } catch (Exception e) {
            LOG.warn("cannot remove the dns-account-01 record {}: {}", dns.recordName(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "DnsAccount01Solver{" + provider.getClass().getSimpleName() + "}";
    }
}
