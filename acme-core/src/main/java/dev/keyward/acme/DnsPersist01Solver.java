package dev.keyward.acme;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code dns-persist-01} (draft-ietf-acme-dns-persist) through a {@link DnsProvider}:
 * publishes {@code _validation-persist.<name>} naming the CA's issuer domain name and the account
 * ({@link DnsPersist01Challenge#txtValue(Instant)}). The record is meant to persist, so later
 * orders of the same account validate without DNS changes: by default it is left in place after
 * validation ({@link #removeAfterValidation(boolean)} changes that). Immutable and thread-safe.
 */
public final class DnsPersist01Solver implements ChallengeSolver {
    private static final Logger LOG = LoggerFactory.getLogger(DnsPersist01Solver.class);

    private final DnsProvider provider;
    private final boolean removeAfterValidation;
    private final Instant persistUntil;

    private DnsPersist01Solver(DnsProvider provider, boolean removeAfterValidation, Instant persistUntil) {
        this.provider = provider;
        this.removeAfterValidation = removeAfterValidation;
        this.persistUntil = persistUntil;
    }

    /**
     * A solver publishing through the provider; records stay, without {@code persistUntil}.
     *
     * @param provider the DNS provider
     * @return the solver
     */
    public static DnsPersist01Solver using(DnsProvider provider) {
        return new DnsPersist01Solver(Objects.requireNonNull(provider, "provider"), false, null);
    }

    /**
     * This solver, removing each record once the flow is done with it (default false: the record
     * persists for later orders, which is the point of dns-persist-01).
     *
     * @param value whether to remove records
     * @return a new solver
     */
    public DnsPersist01Solver removeAfterValidation(boolean value) {
        return new DnsPersist01Solver(provider, value, persistUntil);
    }

    /**
     * This solver, publishing records valid only until the instant ({@code persistUntil}).
     *
     * @param until the end of the records' validity
     * @return a new solver
     */
    public DnsPersist01Solver persistUntil(Instant until) {
        return new DnsPersist01Solver(provider, removeAfterValidation, Objects.requireNonNull(until, "until"));
    }

    /** @return {@code Set.of("dns-persist-01")} */
    @Override
    public Set<String> challengeTypes() {
        return Set.of(DnsPersist01Challenge.TYPE);
    }

    /** @return false for IP identifiers, which have no DNS name */
    @Override
    public boolean canSolve(Authorization authorization) {
        return Identifier.TYPE_DNS.equals(authorization.identifier().type());
    }

    @Override
    public void deploy(Challenge challenge) throws AcmeSolverException {
        if (!(challenge instanceof DnsPersist01Challenge)) {
            throw new AcmeSolverException("not a dns-persist-01 challenge: " + challenge.type(), null);
        }
        DnsPersist01Challenge dns = (DnsPersist01Challenge) challenge;
        try {
            provider.setTxt(dns.recordName(), dns.txtValue(persistUntil));
        } catch (Exception e) {
            throw new AcmeSolverException("cannot publish the dns-persist-01 record " + dns.recordName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes the record only when {@link #removeAfterValidation(boolean)} asked for it. */
    @Override
    public void remove(Challenge challenge) {
        if (!removeAfterValidation) {
            return;
        }
        DnsPersist01Challenge dns = (DnsPersist01Challenge) challenge;
        try {
            provider.removeTxt(dns.recordName(), dns.txtValue(persistUntil));
        } catch (Exception e) {
            LOG.warn("cannot remove the dns-persist-01 record {}: {}", dns.recordName(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "DnsPersist01Solver{" + provider.getClass().getSimpleName() + (removeAfterValidation ? ", removing" : "")
                + "}";
    }
}
