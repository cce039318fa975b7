package dev.keyward.examples.cli;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The key types the client generates: {@code ec-p256}, {@code ec-p384}, {@code rsa-2048}. */
enum KeyType {
    EC_P256("ec-p256"),
    EC_P384("ec-p384"),
    RSA_2048("rsa-2048");

    private final String cliName;

    KeyType(String cliName) {
        this.cliName = cliName;
    }

    static KeyType parse(String name) throws UsageException {
        for (KeyType t : values()) {
            if (t.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new UsageException("unknown key type " + name + "; use ec-p256, ec-p384 or rsa-2048");
    }

    KeyPair generate() {
        try {
            switch (this) {
                case RSA_2048: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    return g.generateKeyPair();
                }
                case EC_P384: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp384r1"));
                    return g.generateKeyPair();
                }
                default: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    return g.generateKeyPair();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + cliName + " key", e);
        }
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Reads {@code --key-type}; an unknown name is a usage error. */
    static final class Converter implements ITypeConverter<KeyType> {
        @Override
        public KeyType convert(String value) {
            try {
                return parse(value);
            } catch (UsageException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
