package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.pkcs11.Pkcs11Exception;
import dev.keyward.acme.pkcs11.Pkcs11KeyProtection;
import dev.keyward.acme.pkcs11.Pkcs11KeyStore;
import dev.keyward.acme.pkcs11.Pkcs11KeyType;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code keyward key ...}: keys in a token, made there so that they never leave it. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage keys in a PKCS#11 token.",
        subcommands = {KeyCommands.Generate.class})
final class KeyCommands extends CommandGroup {

    /**
     * {@code key generate pkcs11:token=...;object=LABEL?module-path=...&pin-source=file:PATH}: a key
     * pair generated inside the token ({@code C_GenerateKeyPair}), the private key a sensitive,
     * non-extractable, private token object. Prints the URI that names it (with its new {@code id=},
     * without the PIN) on standard output, and the protection the token reports on standard error.
     */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a key pair inside a PKCS#11 token; the private key never leaves it.")
    static final class Generate extends CliCommand {
        @Parameters(index = "0", paramLabel = "PKCS11-URI",
                description = "where: pkcs11:token=LABEL;object=KEY-LABEL?module-path=LIB&pin-source=file:PATH")
        String uri;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "ec-p256", converter = TypeConverter.class,
                description = "ec-p256 (default), ec-p384, rsa-2048 or rsa-3072")
        Pkcs11KeyType type;

        @Override
        public Integer call() throws Exception {
            if (!Pkcs11Uri.isPkcs11(uri)) {
                throw new UsageException("key generate makes keys in a PKCS#11 token: give a pkcs11: URI, not "
                        + Pkcs11Uri.redacted(uri));
            }
            Pkcs11Uri parsed = Pkcs11Uri.parse(uri);
            if (parsed.hasId() || parsed.object() == null) {
                throw new UsageException("key generate names the new key by object=LABEL alone; the token's key gets"
                        + " a new random id=, which is printed");
            }
            try (OpenedResources resources = new OpenedResources()) {
                Pkcs11KeyStore store = parsed.open(resources);
                try {
                    AcmeSigner signer = store.generateKeyPair(parsed.object(), type);
                    byte[] id = store.keyId(parsed.object());
                    Pkcs11KeyProtection protection = store.keyProtection(parsed.object());
                    out().println(Pkcs11Uri.SCHEME + "token=" + Pkcs11Uri.percentEncode(
                            store.tokenLabel().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            + ";object=" + Pkcs11Uri.percentEncode(parsed.object().getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8))
                            + ";id=" + Pkcs11Uri.percentEncode(id) + "?module-path=" + store.library());
                    err().println("Generated a " + describe(type) + " key pair (" + signer.algorithm().jwsName()
                            + ") in token '" + store.tokenLabel() + "' (slot " + store.slotId() + "); the private"
                            + " key is " + describe(protection));
                    return Keyward.OK;
                } catch (Pkcs11Exception e) {
                    throw new ConfigException("PKCS#11 key " + parsed + ": " + e.getMessage(), e);
                }
            }
        }

        private static String describe(Pkcs11KeyType type) {
            return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        private static String describe(Pkcs11KeyProtection p) {
            return (p.token() ? "" : "NOT ") + "a token object (CKA_TOKEN), "
                    + (p.privateObject() ? "" : "NOT ") + "private (CKA_PRIVATE), "
                    + (p.sensitive() ? "" : "NOT ") + "sensitive (CKA_SENSITIVE), "
                    + (p.extractable() ? "EXTRACTABLE" : "not extractable") + " (CKA_EXTRACTABLE)";
        }
    }

    /** {@code ec-p256}, {@code rsa-2048}, ... (any case, {@code _} or {@code -}) to a key type. */
    static final class TypeConverter implements ITypeConverter<Pkcs11KeyType> {
        @Override
        public Pkcs11KeyType convert(String value) {
            try {
                return Pkcs11KeyType.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a key type: use ec-p256, ec-p384,"
                        + " rsa-2048 or rsa-3072");
            }
        }
    }
}
