package dev.keyward.acme;

import java.net.URI;

/**
 * A URL handed to a fetch-by-URL method ({@link AcmeClient#fetchAccount}, {@link Account#fetchOrder},
 * {@link Account#fetchAuthorization}, {@link IssuanceRequest.Builder#resumeOrder} and
 * {@link AcmeClient#requireCaOrigin}) is not on the CA's origin: its scheme, host and port
 * (RFC 6454 section 4; a missing port is the scheme's default) differ from the directory URL's.
 * Nothing was signed or sent: an account key signs requests for its own CA only (RFC 8555
 * section 6.2 binds each request to its URL, but not to a server). A caller error, so an
 * {@link IllegalArgumentException}, not an {@link AcmeException}.
 */
public final class AcmeForeignUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The refused URL. */
    private final URI url;
    /** The CA's directory URL, whose origin the URL must share. */
    private final URI directoryUrl;

    AcmeForeignUrlException(URI url, URI directoryUrl) {
        super(url + " is not on the CA's origin " + CaOrigin.of(directoryUrl) + " (of the directory " + directoryUrl
                + "); nothing was sent");
        this.url = url;
        this.directoryUrl = directoryUrl;
    }

    /**
     * The refused URL.
     *
     * @return the URL
     */
    public URI url() {
        return url;
    }

    /**
     * The CA's directory URL.
     *
     * @return the directory URL
     */
    public URI directoryUrl() {
        return directoryUrl;
    }
}
