package dev.keyward.examples.cli;

import dev.keyward.acme.RevocationReason;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --reason}: an RFC 5280 code (0-10 but 7) or a name such as {@code keyCompromise}. */
final class Reasons {
    private Reasons() {
    }

    static RevocationReason parse(String text) throws UsageException {
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit) && !t.isEmpty() && t.length() < 4) {
            try {
                return RevocationReason.ofCode(Integer.parseInt(t));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--reason " + t + " is not an RFC 5280 reason code (0-10, not 7)");
            }
        }
        String normalized = t.replaceAll("[-_ ]", "").toLowerCase(Locale.ROOT);
        for (RevocationReason reason : RevocationReason.values()) {
            if (reason.name().replace("_", "").toLowerCase(Locale.ROOT).equals(normalized)) {
                return reason;
            }
        }
        throw new UsageException("unknown --reason " + text + "; give a code 0-10 (not 7) or a name like keyCompromise");
    }

    /** Reads {@code --reason}; a code or name RFC 5280 does not define is a usage error. */
    static final class Converter implements ITypeConverter<RevocationReason> {
        @Override
        public RevocationReason convert(String value) {
            try {
                return parse(value);
            } catch (UsageException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
