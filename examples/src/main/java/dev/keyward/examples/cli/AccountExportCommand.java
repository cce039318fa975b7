package dev.keyward.examples.cli;

import dev.keyward.acme.AccountExport;
import dev.keyward.acme.AccountFileException;
import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSigner;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code account export --out FILE [--encrypt-key | --without-key] [--name NAME]}: finds the account
 * of {@code --account-key} at the CA ({@code onlyReturnExisting}, RFC 8555 section 7.3.1) and writes
 * it as an {@link AccountExport} document, created 0600 and never over an existing file. A key in a
 * token or KMS travels as its reference; a key file only encrypted ({@code --encrypt-key}) or not at
 * all ({@code --without-key}), never in clear: without one of the two, a key file is refused.
 * Prints the account URL alone on the first line.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the account of --account-key to a JSON file: directory and account URLs, contacts,"
                + " and the key: a pkcs11:/kms: key as its reference; a key file encrypted (--encrypt-key) or left"
                + " out (--without-key), never in clear.",
                "The passphrase comes from --passphrase-file, --passphrase-env or a prompt."})
final class AccountExportCommand extends CliCommand {
    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "the JSON file to create (mode 0600; an existing file is never overwritten)")
    Path out;

    @Option(names = "--encrypt-key", description = "include a key file's key, encrypted (PKCS#8, AES-256-CBC,"
            + " PBKDF2-HMAC-SHA256)")
    boolean encryptKey;

    @Option(names = "--without-key", description = "leave a key file's key out; the import then needs that key")
    boolean withoutKey;

    @Option(names = "--name", paramLabel = "NAME",
            description = "the account's local name, carried by the export (default: the --account NAME)")
    String name;

    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() throws Exception {
        AccountNames.resolve(global());
        if (name == null) {
            name = global().accountName;
        }
        String spec = global().accountKey;
        if (spec == null) {
            throw new UsageException("account export needs --account-key of an existing account");
        }
        Keys.requireKnownScheme(spec);
        boolean reference = AccountFiles.isReference(spec);
        checkChoices(spec, reference);
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException("--out file " + out + " exists already; not overwriting it");
        }
        // The passphrase is asked before any request, so that a mistake costs nothing.
        char[] secret = encryptKey ? passphrase.forNewKey() : null;
        try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
            AcmeSigner signer = env.existingAccountKey();
            Account account = client.findAccount(signer);
            AccountExport.Builder builder = AccountExport.builder().directoryUrl(env.directoryUrl()).account(account)
                    .name(name);
            if (reference) {
                builder.keyReference(spec, signer.publicKey());
            } else if (encryptKey) {
                KeyPair pair = KeyFiles.read(Path.of(spec));
                builder.encryptedKey(pair.getPrivate(), pair.getPublic(), secret);
            }
            AccountExport export = builder.build();
            try {
                export.write(out);
            } catch (AccountFileException e) {
                throw AccountFiles.failure(e);
            }
            out().println(account.url());
            err().println("Exported the account to " + out + " (key: "
                    + export.keyForm().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
            return Keyward.OK;
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    private void checkChoices(String spec, boolean reference) throws UsageException {
        if (encryptKey && withoutKey) {
            throw new UsageException("give --encrypt-key or --without-key, not both");
        }
        if (name != null && !AccountExport.isValidName(name)) {
            throw new UsageException("--name must be 1-64 letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit");
        }
        if (reference && (encryptKey || withoutKey)) {
            throw new UsageException("the account key is in a token or KMS: it never leaves it, and the export"
                    + " carries its reference; drop --encrypt-key and --without-key");
        }
        if (reference && spec.toLowerCase(Locale.ROOT).contains("pin-value")) {
            throw new UsageException("the PKCS#11 URI holds its PIN (pin-value): export with pin-source=file:PATH"
                    + " instead, so that the PIN is not written to the file");
        }
        if (!reference && !encryptKey && !withoutKey) {
            throw new UsageException("the account key is a file and is never exported in clear: add --encrypt-key"
                    + " to include it encrypted, or --without-key to leave it out");
        }
        if (passphrase.given() && !encryptKey) {
            throw new UsageException("--passphrase-file and --passphrase-env go with --encrypt-key");
        }
    }
}
