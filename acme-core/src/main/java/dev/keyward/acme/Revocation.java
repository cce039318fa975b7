package dev.keyward.acme;

import dev.keyward.acme.internal.Base64Url;
import dev.keyward.acme.internal.Json;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Builds and sends revocation requests (RFC 8555 section 7.6), signed by the account or the certificate key. */
final class Revocation {
    private Revocation() {
    }

    static void revoke(Session session, AcmeSigner signer, URI kid, X509Certificate certificate, RevocationReason reason)
            throws AcmeException {
        Objects.requireNonNull(certificate, "certificate");
        URI revokeCert = session.directory().revokeCert()
                .orElseThrow(() -> new AcmeNotSupportedException("the CA's directory offers no revokeCert"));
        Map<String, Object> payload = new LinkedHashMap<>();
        try {
            payload.put("certificate", Base64Url.encode(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
        if (reason != null) {
            payload.put("reason", reason.code());
        }
        session.post(revokeCert, signer, kid, Json.write(payload), Session.ACCEPT_JSON);
    }
}
