package dev.keyward.examples.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The challenge types {@code issue --challenge TYPE} names, each with the option that supplies what
 * its solver needs: a port for http-01 and tls-alpn-01, a DNS provider for the three DNS types.
 */
enum ChallengeType {
    HTTP_01("http-01", "--http01-port PORT"),
    TLS_ALPN_01("tls-alpn-01", "--tlsalpn01-port PORT"),
    DNS_01("dns-01", "--dns01-challtestsrv URL"),
    DNS_ACCOUNT_01("dns-account-01", "--dns01-challtestsrv URL"),
    DNS_PERSIST_01("dns-persist-01", "--dns01-challtestsrv URL");

    final String label;
    final String needs;

    ChallengeType(String label, String needs) {
        this.label = label;
        this.needs = needs;
    }

    boolean dns() {
        return this == DNS_01 || this == DNS_ACCOUNT_01 || this == DNS_PERSIST_01;
    }

    static String labels() {
        return Arrays.stream(values()).map(t -> t.label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }

    /** Parses {@code http-01}, {@code dns-account-01}, ... ignoring case. */
    static final class Converter implements ITypeConverter<ChallengeType> {
        @Override
        public ChallengeType convert(String value) {
            String wanted = value.toLowerCase(Locale.ROOT);
            for (ChallengeType type : values()) {
                if (type.label.equals(wanted)) {
                    return type;
                }
            }
            throw new TypeConversionException("unknown challenge type '" + ExitCodes.escape(value) + "'; one of: "
                    + labels());
        }
    }
}
