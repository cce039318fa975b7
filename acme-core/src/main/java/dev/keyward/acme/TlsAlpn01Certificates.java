package dev.keyward.acme;

import dev.keyward.acme.internal.IpAddresses;
import dev.keyward.acme.internal.SignerContentSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The validation certificate of {@code tls-alpn-01} (RFC 8737 section 3): self-signed, one
 * subjectAltName for the identifier ({@code dNSName}, or {@code iPAddress} for an {@code ip}
 * identifier, RFC 8738 section 6), and the critical {@code id-pe-acmeIdentifier} extension
 * ({@value #ACME_IDENTIFIER_OID}) holding an OCTET STRING of the SHA-256 digest of the key
 * authorization. Signed through an {@link AcmeSigner}, so the validation key may live in an HSM
 * or KMS; a JDK TLS server presenting it, however, needs the key as a JCA
 * {@link java.security.PrivateKey} (see {@link TlsAlpn01KeyManager#put}).
 */
public final class TlsAlpn01Certificates {
    /** The object identifier of {@code id-pe-acmeIdentifier} (RFC 8737 section 6.1). */
    public static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsAlpn01Certificates() {
    }

    /**
     * Builds and signs the validation certificate for a challenge.
     *
     * @param challenge the tls-alpn-01 challenge
     * @param signer the validation key (any key {@link Signers} or an HSM/KMS module supports)
     * @return the certificate
     * @throws AcmeSigningException if the signer fails
     */
    public static X509Certificate create(TlsAlpn01Challenge challenge, AcmeSigner signer) throws AcmeSigningException {
        return create(challenge.identifier(), challenge.keyAuthorization(), signer);
    }

    /**
     * Builds and signs the validation certificate for an identifier and key authorization.
     *
     * @param identifier a {@code dns} (not wildcard) or {@code ip} identifier
     * @param keyAuthorization the key authorization (RFC 8555 section 8.1)
     * @param signer the validation key
     * @return the certificate, valid from an hour ago for a week
     * @throws AcmeSigningException if the signer fails
     * @throws IllegalArgumentException for another identifier type, a wildcard or a malformed IP
     */
    public static X509Certificate create(Identifier identifier, String keyAuthorization, AcmeSigner signer)
            throws AcmeSigningException {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(keyAuthorization, "keyAuthorization");
        Objects.requireNonNull(signer, "signer");
        GeneralName name = subjectAltName(identifier);
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=ACME tls-alpn-01 validation");
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    SubjectPublicKeyInfo.getInstance(signer.publicKey().getEncoded()));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
            builder.addExtension(new ASN1ObjectIdentifier(ACME_IDENTIFIER_OID), true,
                    new DEROctetString(TlsAlpn01Challenge.digest(keyAuthorization)));
            SignerContentSigner contentSigner = new SignerContentSigner(signer);
            X509CertificateHolder holder = builder.build(contentSigner);
            contentSigner.throwIfFailed();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot encode the tls-alpn-01 validation certificate", e);
        }
    }

    /**
     * The name a validator sends as SNI for an identifier: the {@code dns} name itself, or the
     * reverse-DNS name of an {@code ip} address (RFC 8738 section 6), such as
     * {@code 1.0.0.127.in-addr.arpa}.
     *
     * @param identifier a {@code dns} or {@code ip} identifier
     * @return the name, lower case, without a trailing dot
     * @throws IllegalArgumentException for another type or a malformed IP address
     */
    public static String serverName(Identifier identifier) {
        switch (identifier.type()) {
            case Identifier.TYPE_DNS:
                return identifier.value().toLowerCase(java.util.Locale.ROOT);
            case Identifier.TYPE_IP:
                return reverseDnsName(identifier.value());
            default:
                throw new IllegalArgumentException("tls-alpn-01 cannot prove a " + identifier.type() + " identifier");
        }
    }

    /**
     * The reverse-DNS name of an IP address literal: {@code 1.0.0.127.in-addr.arpa} for
     * {@code 127.0.0.1}, 32 nibbles under {@code ip6.arpa} for IPv6 (RFC 3596 section 2.5).
     *
     * @param address an IPv4 or IPv6 literal
     * @return the name, without a trailing dot
     * @throws IllegalArgumentException if it is not an IP address literal
     */
    public static String reverseDnsName(String address) {
        return IpAddresses.reverseDnsName(IpAddresses.parse(address));
    }

    /**
     * A fresh in-memory EC P-256 key pair, the default validation key of the solvers.
     *
     * @return the key pair
     */
    static KeyPair newValidationKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    private static GeneralName subjectAltName(Identifier identifier) {
        switch (identifier.type()) {
            case Identifier.TYPE_DNS:
                if (identifier.isWildcard()) {
                    throw new IllegalArgumentException("tls-alpn-01 cannot prove the wildcard " + identifier.value()
                            + " (RFC 8737 section 3)");
                }
                return new GeneralName(GeneralName.dNSName, identifier.value());
            case Identifier.TYPE_IP:
                return new GeneralName(GeneralName.iPAddress, new DEROctetString(IpAddresses.parse(identifier.value())));
            default:
                throw new IllegalArgumentException("tls-alpn-01 cannot prove a " + identifier.type() + " identifier");
        }
    }
}
