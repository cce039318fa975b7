package dev.keyward.acme;

import java.util.Objects;

/**
 * What the issuance flow ({@link Account#issue(IssuanceRequest)}) returns: the certificate chain
 * (RFC 8555 section 7.4.2) and the final, {@code valid} order, whose URL a caller may keep.
 * Immutable.
 */
public final class IssuanceResult {
    private final Order order;
    private final CertificateChain chain;
    private final int reusedAuthorizations;

    IssuanceResult(Order order, CertificateChain chain, int reusedAuthorizations) {
        this.order = Objects.requireNonNull(order, "order");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.reusedAuthorizations = reusedAuthorizations;
    }

    /** @return the certificate chain, leaf first, its key checked against the certificate key */
    public CertificateChain chain() {
        return chain;
    }

    /** @return the order, {@code valid} */
    public Order order() {
        return order;
    }

    /**
     * How many of a new order's authorizations were valid already (the CA reused them), so no
     * challenge was answered for them. For a resumed order, those found valid when it resumed.
     *
     * @return the number of reused authorizations
     */
    public int reusedAuthorizations() {
        return reusedAuthorizations;
    }

    @Override
    public String toString() {
        return "IssuanceResult{" + order.url() + ", " + chain.leaf().getSubjectX500Principal().getName() + "}";
    }
}
