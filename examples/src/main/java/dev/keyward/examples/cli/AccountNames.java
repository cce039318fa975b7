package dev.keyward.examples.cli;

import dev.keyward.acme.AccountExport;
import dev.keyward.acme.AccountFileException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Named local accounts: {@code --account NAME} stands for the folder {@code ACCOUNTS_DIR/NAME/}
 * holding the account key {@code key.pem} and, once the account was imported there, its record
 * {@code account.json} (an {@link AccountExport} without the private key: directory URL, account
 * URL, contacts, name, and a {@code pkcs11:}/{@code kms:} reference when the key lives in a token
 * or KMS). {@code ACCOUNTS_DIR} is {@code --accounts-dir}, else
 * {@code $XDG_CONFIG_HOME/keyward/accounts}, else {@code ~/.config/keyward/accounts}.
 */
final class AccountNames {
    static final String KEY_FILE = "key.pem";
    static final String RECORD_FILE = "account.json";

    private AccountNames() {
    }

    /** The folder of named accounts. */
    static Path root(GlobalOptions options) {
        if (options.accountsDir != null) {
            return options.accountsDir;
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("keyward").resolve("accounts");
    }

    /** The folder of one named account. */
    static Path folder(GlobalOptions options) {
        return root(options).resolve(options.accountName);
    }

    /**
     * Turns {@code --account NAME} into the account key (the record's reference, else
     * {@code key.pem}) and, without {@code --directory}, the directory of its record. Does
     * nothing without {@code --account}, and nothing a second time.
     */
    static void resolve(GlobalOptions options) throws UsageException, ConfigException {
        if (options.accountName == null || options.accountNameResolved) {
            return;
        }
        if (!AccountExport.isValidName(options.accountName)) {
            throw new UsageException("--account NAME must be 1-64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit");
        }
        if (options.accountKey != null) {
            throw new UsageException("give --account NAME or --account-key, not both");
        }
        Path folder = folder(options);
        Optional<AccountExport> record = record(folder);
        options.accountKey = record.flatMap(AccountExport::keyReference)
                .filter(r -> !Files.exists(folder.resolve(KEY_FILE)))
                .orElse(folder.resolve(KEY_FILE).toString());
        if (options.directory == null && !options.pebble && record.isPresent()) {
            options.directory = record.get().directoryUrl().toString();
        }
        options.accountNameResolved = true;
    }

    /**
     * Writes the record of a named account (its URLs and contacts, and the key's reference when it
     * has one) into its folder; an existing record is left as it is.
     */
    static void writeRecord(GlobalOptions options, Path folder, Environment env, dev.keyward.acme.Account account,
                            dev.keyward.acme.AcmeSigner signer) throws Exception {
        AccountExport.Builder record = AccountExport.builder().directoryUrl(env.directoryUrl()).account(account)
                .name(options.accountName);
        if (AccountFiles.isReference(options.accountKey)) {
            record.keyReference(options.accountKey, signer.publicKey());
        }
        try {
            record.build().write(folder.resolve(RECORD_FILE));
        } catch (AccountFileException e) {
            throw AccountFiles.failure(e);
        }
    }

    /** The record of a named account's folder, when it has one. */
    static Optional<AccountExport> record(Path folder) throws UsageException, ConfigException {
        Path file = folder.resolve(RECORD_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AccountExport.read(file));
        } catch (AccountFileException e) {
            if (e.reason() == AccountFileException.Reason.IO) {
                throw new ConfigException(e.getMessage(), e);
            }
            throw new UsageException("the record of the named account is unusable: " + e.getMessage());
        }
    }

    /** The named accounts: folders of the accounts folder holding a key or a record, by name. */
    static List<String> names(Path root) throws ConfigException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (AccountExport.isValidName(name) && (Files.exists(folder.resolve(KEY_FILE))
                        || Files.exists(folder.resolve(RECORD_FILE)))) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot list the accounts in " + root + ": " + e.getClass().getSimpleName(), e);
        }
        names.sort(null);
        return names;
    }
}
