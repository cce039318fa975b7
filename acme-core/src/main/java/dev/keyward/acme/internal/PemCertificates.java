package dev.keyward.acme.internal;

import dev.keyward.acme.AcmeProtocolException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Parses and writes PEM certificate chains ({@code application/pem-certificate-chain}, RFC 8555
 * section 7.4.2 and RFC 7468).
 */
public final class PemCertificates {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private PemCertificates() {
    }

    /**
     * Parses every certificate of a PEM chain, in order.
     *
     * @param pem the chain
     * @param what what it is, for messages
     * @return the certificates, at least one
     * @throws AcmeProtocolException if the text holds no certificate or a malformed one
     */
    public static List<X509Certificate> parse(String pem, String what) {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is not available", e);
        }
        int from = 0;
        while (true) {
            int begin = pem.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int end = pem.indexOf(END, begin);
            if (end < 0) {
                throw new AcmeProtocolException(what + ": PEM certificate without an END line");
            }
            String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
            try {
                byte[] der = Base64.getDecoder().decode(base64);
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new AcmeProtocolException(what + ": certificate " + (out.size() + 1) + " is malformed", e);
            }
            from = end + END.length();
        }
        if (out.isEmpty()) {
            throw new AcmeProtocolException(what + " holds no PEM certificate");
        }
        return out;
    }

    /**
     * Writes certificates as PEM, 64 characters a line.
     *
     * @param certificates the certificates
     * @return the PEM text
     */
    public static String write(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate certificate : certificates) {
            try {
                sb.append(BEGIN).append('\n')
                        .append(encoder.encodeToString(certificate.getEncoded())).append('\n')
                        .append(END).append('\n');
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded", e);
            }
        }
        return sb.toString();
    }
}
