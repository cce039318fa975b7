package dev.keyward.examples.cli;

import dev.keyward.acme.AccountFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What the account export and import commands share: the exit code of a bad account file, and key file checks. */
final class AccountFiles {
    private AccountFiles() {
    }

    /**
     * A bad account file as the CLI reports it: one line, exit 2 (the file or the choice given is
     * wrong), or exit 3 when the file system failed.
     */
    static Exception failure(AccountFileException e) {
        if (e.reason() == AccountFileException.Reason.IO) {
            return new ConfigException(e.getMessage(), e);
        }
        return new ConfigFileException(e.getMessage());
    }

    /** A key option that names a key in a token or KMS, not a file. */
    static boolean isReference(String spec) {
        return Pkcs11Uri.isPkcs11(spec) || KmsKeySpec.isKms(spec);
    }

    /** Refuses an --account-key that is not a new PEM file to write an imported key to. */
    static Path newKeyFile(String spec) throws UsageException {
        Keys.requireKnownScheme(spec);
        if (isReference(spec)) {
            throw new UsageException("the imported key is written to --account-key, which must be a new PEM file,"
                    + " not a key in a token or KMS");
        }
        Path file = Path.of(spec);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException("--account-key file " + spec + " exists already; not overwriting it"
                    + " (give a new file for the imported key)");
        }
        return file;
    }
}
