package dev.keyward.acme;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the issuance flow checks of a downloaded chain before handing it out (RFC 8555 section
 * 7.4.2 and RFC 5280): the leaf names exactly the requested identifiers in its subject alternative
 * names, each certificate is signed by the next, every issuer is a CA, and the leaf is valid now
 * (or from the order's notBefore). A chain that fails is a typed protocol error, never a result.
 */
final class ChainCheck {
    /** Tolerated difference between the CA's clock and ours when judging the leaf's notBefore. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private ChainCheck() {
    }

    static void check(CertificateChain chain, List<Identifier> requested, Instant now, Instant notBefore) {
        List<X509Certificate> certificates = chain.certificates();
        X509Certificate leaf = certificates.get(0);
        Set<String> names = sanIdentifiers(leaf, chain);
        Set<String> wanted = new HashSet<>();
        for (Identifier id : requested) {
            wanted.add(key(id.type(), id.value()));
        }
        if (!names.equals(wanted)) {
            throw new AcmeProtocolException("certificate " + chain.url() + " names " + names
                    + " in its subject alternative names, not the requested " + wanted);
        }
        Instant from = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
        Instant leafStart = leaf.getNotBefore().toInstant();
        Instant leafEnd = leaf.getNotAfter().toInstant();
        if (leafStart.isAfter(from.plus(CLOCK_SKEW)) || !leafEnd.isAfter(from)) {
            throw new AcmeProtocolException("certificate " + chain.url() + " is valid from " + leafStart + " to " + leafEnd
                    + ", not at " + from);
        }
        for (int i = 0; i + 1 < certificates.size(); i++) {
            X509Certificate subject = certificates.get(i);
            X509Certificate issuer = certificates.get(i + 1);
            if (issuer.getBasicConstraints() < 0) {
                throw new AcmeProtocolException("certificate " + chain.url() + ": chain certificate " + (i + 1)
                        + " (" + issuer.getSubjectX500Principal().getName() + ") is not a CA");
            }
            if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new AcmeProtocolException("certificate " + chain.url() + ": certificate " + i + " names issuer "
                        + subject.getIssuerX500Principal().getName() + ", but the next one is "
                        + issuer.getSubjectX500Principal().getName());
            }
            try {
                subject.verify(issuer.getPublicKey());
            } catch (Exception e) {
                throw new AcmeProtocolException("certificate " + chain.url() + ": certificate " + i
                        + " is not signed by the next one in the chain");
            }
        }
    }

    private static Set<String> sanIdentifiers(X509Certificate leaf, CertificateChain chain) {
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new AcmeProtocolException("certificate " + chain.url() + " has malformed subject alternative names");
        }
        Set<String> out = new HashSet<>();
        if (sans == null) {
            return out;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == 2) {
                out.add(key(Identifier.TYPE_DNS, value));
            } else if (type == 7) {
                out.add(key(Identifier.TYPE_IP, value));
            } else {
                out.add("other:" + type + ":" + value);
            }
        }
        return out;
    }

    private static String key(String type, String value) {
        if (Identifier.TYPE_IP.equals(type)) {
            try {
                return type + ":" + InetAddress.getByAddress(InetAddress.getByName(literal(value)).getAddress())
                        .getHostAddress();
            } catch (UnknownHostException e) {
                return type + ":" + value;
            }
        }
        return type + ":" + value.toLowerCase(Locale.ROOT);
    }

    /** An IP literal only: never a name that would send a DNS query. */
    private static String literal(String value) throws UnknownHostException {
        if (!value.matches("[0-9a-fA-F:.]+")) {
            throw new UnknownHostException(value);
        }
        return value;
    }
}
