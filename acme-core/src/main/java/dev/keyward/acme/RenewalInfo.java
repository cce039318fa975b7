package dev.keyward.acme;

import dev.keyward.acme.internal.Base64Url;
import dev.keyward.acme.internal.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;

/**
 * ACME Renewal Information (RFC 9773): the window in which the CA suggests renewing one
 * certificate, with an optional explanation and the time the CA wants to be asked again. Fetch it
 * with {@link AcmeClient#fetchRenewalInfo(X509Certificate)}; pick the moment to renew with
 * {@link #chooseRenewalTime(Instant, Random)}. Immutable.
 */
public final class RenewalInfo {
    /** How long to wait before asking again when the CA sends no {@code Retry-After}: 6 hours. */
    public static final Duration DEFAULT_RECHECK = Duration.ofHours(6);

    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";

    private final String certificateId;
    private final Instant windowStart;
    private final Instant windowEnd;
    private final URI explanationUrl;
    private final Instant retryAfter;

    private RenewalInfo(String certificateId, Instant windowStart, Instant windowEnd, URI explanationUrl,
                        Instant retryAfter) {
        this.certificateId = certificateId;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.explanationUrl = explanationUrl;
        this.retryAfter = retryAfter;
    }

    static RenewalInfo parse(String certificateId, JsonObject json, Instant retryAfter) {
        JsonObject window = json.optObject("suggestedWindow").orElseThrow(() ->
                new AcmeProtocolException("renewalInfo of " + certificateId + " lacks the required field 'suggestedWindow'"));
        Instant start = window.optInstant("start").orElseThrow(() ->
                new AcmeProtocolException("renewalInfo of " + certificateId + " has a suggestedWindow without 'start'"));
        Instant end = window.optInstant("end").orElseThrow(() ->
                new AcmeProtocolException("renewalInfo of " + certificateId + " has a suggestedWindow without 'end'"));
        if (!end.isAfter(start)) {
            throw new AcmeProtocolException("renewalInfo of " + certificateId + " has a suggestedWindow whose end "
                    + end + " is not after its start " + start + " (RFC 9773 section 4.2)");
        }
        return new RenewalInfo(certificateId, start, end, json.optAnyUri("explanationURL").orElse(null), retryAfter);
    }

    /**
     * The ARI certificate identifier (RFC 9773 section 4.1): the base64url key identifier of the
     * certificate's Authority Key Identifier extension, a dot, and the base64url DER content of
     * its serial number.
     *
     * @param certificate the certificate
     * @return the identifier, for example {@code aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE}
     * @throws IllegalArgumentException if the certificate has no Authority Key Identifier with a
     *     key identifier
     */
    public static String certificateId(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        byte[] extension = certificate.getExtensionValue(AUTHORITY_KEY_IDENTIFIER);
        if (extension == null) {
            throw new IllegalArgumentException("certificate " + certificate.getSerialNumber().toString(16)
                    + " has no Authority Key Identifier, so it has no ARI identifier (RFC 9773 section 4.1)");
        }
        byte[] keyIdentifier;
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            keyIdentifier = AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifier();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("certificate " + certificate.getSerialNumber().toString(16)
                    + " has a malformed Authority Key Identifier", e);
        }
        if (keyIdentifier == null || keyIdentifier.length == 0) {
            throw new IllegalArgumentException("certificate " + certificate.getSerialNumber().toString(16)
                    + " has an Authority Key Identifier without a key identifier (RFC 9773 section 4.1)");
        }
        BigInteger serial = certificate.getSerialNumber();
        return Base64Url.encode(keyIdentifier) + "." + Base64Url.encode(serial.toByteArray());
    }

    /** @return the ARI identifier of the certificate this information is about */
    public String certificateId() {
        return certificateId;
    }

    /** @return the start of the suggested renewal window */
    public Instant windowStart() {
        return windowStart;
    }

    /** @return the end of the suggested renewal window */
    public Instant windowEnd() {
        return windowEnd;
    }

    /** @return a page explaining the window (for example after a mass revocation), if the CA gave one */
    public Optional<URI> explanationUrl() {
        return Optional.ofNullable(explanationUrl);
    }

    /** @return when the CA wants to be asked again ({@code Retry-After}, section 4.3), if it said */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * When to ask the CA again (section 4.3): its {@code Retry-After}, else
     * {@link #DEFAULT_RECHECK} after {@code now}.
     *
     * @param now the current instant
     * @return the next check
     */
    public Instant nextCheck(Instant now) {
        return retryAfter != null && retryAfter.isAfter(now) ? retryAfter : now.plus(DEFAULT_RECHECK);
    }

    /**
     * Picks the moment to renew as section 4.2 says: uniformly at random within the part of the
     * window that is not past; {@code now} when the whole window is past.
     *
     * @param now the current instant
     * @param random the source of randomness
     * @return the renewal time, never before {@code now}
     */
    public Instant chooseRenewalTime(Instant now, Random random) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        if (!windowEnd.isAfter(now)) {
            return now;
        }
        Instant from = windowStart.isAfter(now) ? windowStart : now;
        long span = Duration.between(from, windowEnd).toMillis();
        return span <= 0 ? from : from.plusMillis((long) (random.nextDouble() * span));
    }

    /**
     * Whether the window has begun, so a certificate should be renewed now.
     *
     * @param now the current instant
     * @return true from the window's start on
     */
    public boolean isRenewalDue(Instant now) {
        return !now.isBefore(windowStart);
    }

    @Override
    public String toString() {
        return "RenewalInfo{" + certificateId + ", " + windowStart + " .. " + windowEnd
                + (explanationUrl != null ? ", " + explanationUrl : "") + "}";
    }
}
