package dev.keyward.acme;

/**
 * Revocation reason codes of RFC 5280 section 5.3.1, as sent in the {@code reason} field of a
 * revocation request (RFC 8555 section 7.6). Code 7 is unused in RFC 5280.
 */
public enum RevocationReason {
    /** 0: no reason given. */
    UNSPECIFIED(0),
    /** 1: the certificate's private key was compromised. */
    KEY_COMPROMISE(1),
    /** 2: the CA's key was compromised. */
    CA_COMPROMISE(2),
    /** 3: the subject's affiliation changed. */
    AFFILIATION_CHANGED(3),
    /** 4: the certificate was replaced. */
    SUPERSEDED(4),
    /** 5: the subject stopped operating. */
    CESSATION_OF_OPERATION(5),
    /** 6: the certificate is on hold. */
    CERTIFICATE_HOLD(6),
    /** 8: removed from a CRL (delta CRLs only). */
    REMOVE_FROM_CRL(8),
    /** 9: the privileges were withdrawn. */
    PRIVILEGE_WITHDRAWN(9),
    /** 10: an attribute authority was compromised. */
    AA_COMPROMISE(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** @return the RFC 5280 code */
    public int code() {
        return code;
    }

    /**
     * The reason of a code.
     *
     * @param code 0 to 10 except 7
     * @return the reason
     * @throws IllegalArgumentException for any other code
     */
    public static RevocationReason ofCode(int code) {
        for (RevocationReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("no RFC 5280 revocation reason has code " + code);
    }
}
