package dev.keyward.acme;

/**
 * TLS with the ACME server (required by RFC 8555 section 6.1) failed in a way that repeating
 * cannot mend: its certificate is not trusted (add its CA with
 * {@link AcmeClient.Builder#trustAnchors}), its name does not match, or it does not speak TLS.
 * Never retried; nothing reached the server.
 */
public class AcmeTlsException extends AcmeNetworkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, including the URL
     * @param cause the TLS failure
     */
    public AcmeTlsException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
