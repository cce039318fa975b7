package dev.keyward.acme.jdbc;

import dev.keyward.acme.Csr;
import dev.keyward.acme.Identifier;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a queued CSR before any request (RFC 2986; RFC 8555 section 7.4): parses PEM or DER,
 * verifies the self-signature, reads the identifiers from the subjectAltName extension
 * ({@code dNSName}, {@code iPAddress}), and checks the key type and the {@link CsrPolicy}.
 * Core's {@link Csr} does not list its identifiers, so they are read here.
 */
final class CsrCheck {
    /** A CSR that passed: core's {@link Csr} and its identifiers. */
    record Checked(Csr csr, List<Identifier> identifiers) {
        List<String> identifierStrings() {
            return identifiers.stream().map(i -> i.type() + ":" + i.value()).toList();
        }
    }

    /** Why a CSR is refused, never retried. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason);
        }
    }

    private CsrCheck() {
    }

    static Checked check(byte[] raw, CsrPolicy policy) throws Rejected {
        if (raw == null || raw.length == 0) {
            throw new Rejected("bad CSR: the CSR is empty");
        }
        byte[] der = der(raw);
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new Rejected("bad CSR: not a PKCS#10 certification request (its DER encoding is malformed)");
        }
        SubjectPublicKeyInfo key = request.getSubjectPublicKeyInfo();
        try {
            java.security.PublicKey publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new Rejected("bad CSR: its signature does not verify");
            }
        } catch (Rejected e) {
            throw e;
        } catch (Exception e) {
            throw new Rejected("bad CSR: its signature cannot be checked (" + e.getMessage() + ")");
        }
        checkKey(key);
        List<Identifier> identifiers = identifiers(request);
        for (Identifier id : identifiers) {
            String refusal = policy.refusal(id);
            if (refusal != null) {
                throw new Rejected("name not allowed: " + refusal);
            }
        }
        try {
            return new Checked(Csr.fromDer(der), identifiers);
        } catch (IllegalArgumentException e) {
            throw new Rejected("bad CSR: " + e.getMessage());
        }
    }

    private static byte[] der(byte[] raw) throws Rejected {
        String text = new String(raw, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith("-----BEGIN")) {
            return raw;
        }
        int start = text.indexOf("REQUEST-----");
        int end = text.indexOf("-----END", Math.max(start, 0));
        if (start < 0 || end < 0) {
            throw new Rejected("bad CSR: PEM text without a CERTIFICATE REQUEST block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start + "REQUEST-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new Rejected("bad CSR: the PEM block is not base64");
        }
    }

    /** RSA of 2048 to 4096 bits, or ECDSA on P-256 or P-384: what public CAs accept. */
    private static void checkKey(SubjectPublicKeyInfo key) throws Rejected {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            int bits;
            try {
                BigInteger modulus = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus();
                bits = modulus.bitLength();
            } catch (IOException | RuntimeException e) {
                throw new Rejected("bad CSR: unreadable RSA key");
            }
            if (bits < 2048 || bits > 4096) {
                throw new Rejected("key type not accepted: RSA " + bits + " bits (the CA takes RSA 2048 to 4096 bits,"
                        + " ECDSA P-256 or P-384)");
            }
            return;
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object curve = key.getAlgorithm().getParameters();
            if (X9ObjectIdentifiers.prime256v1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)) {
                return;
            }
            throw new Rejected("key type not accepted: ECDSA on curve " + curve + " (the CA takes P-256 or P-384)");
        }
        throw new Rejected("key type not accepted: " + algorithm + " (the CA takes RSA 2048 to 4096 bits,"
                + " ECDSA P-256 or P-384)");
    }

    private static List<Identifier> identifiers(PKCS10CertificationRequest request) throws Rejected {
        Extensions extensions = request.getRequestedExtensions();
        GeneralNames names = extensions == null ? null
                : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (names == null || names.getNames().length == 0) {
            throw new Rejected("bad CSR: no subjectAltName with a dNSName or iPAddress");
        }
        Set<Identifier> out = new LinkedHashSet<>();
        for (GeneralName name : names.getNames()) {
            try {
                if (name.getTagNo() == GeneralName.dNSName) {
                    out.add(Identifier.dns(name.getName().toString()));
                } else if (name.getTagNo() == GeneralName.iPAddress) {
                    byte[] address = ASN1OctetString.getInstance(name.getName()).getOctets();
                    out.add(Identifier.ip(InetAddress.getByAddress(address).getHostAddress()));
                } else {
                    throw new Rejected("bad CSR: subjectAltName of type " + name.getTagNo()
                            + " (only dNSName and iPAddress can be certified)");
                }
            } catch (IllegalArgumentException | IOException e) {
                throw new Rejected("name not allowed: " + name.getName() + " (" + e.getMessage() + ")");
            }
        }
        return new ArrayList<>(out);
    }
}
