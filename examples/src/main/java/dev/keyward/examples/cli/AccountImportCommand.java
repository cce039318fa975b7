package dev.keyward.examples.cli;

import dev.keyward.acme.Account;
import dev.keyward.acme.AccountExport;
import dev.keyward.acme.AccountFileException;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ForeignAccount;
import dev.keyward.acme.Signers;
import dev.keyward.acme.Status;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code account import (FILE | --from-certbot CONFIG_DIR | --from-lego LEGO_PATH)}: takes over an
 * account exported by {@code account export} or made by certbot or lego. Before anything is
 * written, the CA must know the key as that very account ({@code onlyReturnExisting}, RFC 8555
 * section 7.3.1): no account is created. The key is then written to {@code --account-key} (a new
 * PEM file, 0600; an existing file is never overwritten), so that {@code --account-key} uses the
 * same account from then on. Prints the account URL alone on the first line.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Take over an existing account: from a file of 'account export', or from certbot's or lego's"
                + " files. The CA must know the key as that account (no account is created); the key is then"
                + " written to --account-key, a new PEM file. Prints the account URL.",
                "An export without its key (--without-key) or with a pkcs11:/kms: reference uses --account-key as"
                + " the existing key instead (the reference by default)."})
final class AccountImportCommand extends CliCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--account-id", paramLabel = "ID",
            description = "which account: certbot's account id, or lego's e-mail (needed when several match)")
    String accountId;

    @Mixin
    PassphraseOptions passphrase;

    /** Where the account comes from. */
    static final class Source {
        @Parameters(paramLabel = "FILE", arity = "1", description = "a file written by 'keyward account export'")
        Path file;

        @Option(names = "--from-certbot", paramLabel = "CONFIG_DIR",
                description = "certbot's configuration folder (its --config-dir, e.g. /etc/letsencrypt)")
        Path certbot;

        @Option(names = "--from-lego", paramLabel = "LEGO_PATH", description = "lego's --path folder (e.g. ./.lego)")
        Path lego;
    }

    /** What an import found: the account and its key (to write, or an existing one to use). */
    private static final class Found {
        URI directory;
        URI accountUrl;
        KeyPair keyToWrite;
        AccountExport export;
        String what;
    }

    @Override
    public Integer call() throws Exception {
        if (accountId != null && source.file != null) {
            throw new UsageException("--account-id goes with --from-certbot or --from-lego");
        }
        if (passphrase.given() && source.file == null) {
            throw new UsageException("--passphrase-file and --passphrase-env go with an export FILE");
        }
        Path named = null;
        if (global().accountName != null && !global().accountNameResolved) {
            if (global().accountKey == null && AccountExport.isValidName(global().accountName)) {
                named = AccountNames.folder(global());
                if (AccountNames.record(named).isPresent()) {
                    throw new UsageException("an account named " + global().accountName + " exists already in "
                            + AccountNames.root(global()));
                }
            }
            AccountNames.resolve(global());
        }
        URI directory = global().directory == null || global().pebble ? null
                : Environment.uri(global().directory, "--directory");
        Found found;
        try {
            found = source.file != null ? fromExport(directory) : source.certbot != null ? fromCertbot(directory)
                    : fromLego(directory);
        } catch (AccountFileException e) {
            throw AccountFiles.failure(e);
        }
        if (global().directory == null && !global().pebble) {
            global().directory = found.directory.toString();
        }
        try (Environment env = Environment.open(global(), err()); AcmeClient client = env.client()) {
            AcmeSigner signer;
            if (found.keyToWrite != null) {
                signer = Signers.jca(found.keyToWrite.getPrivate(), found.keyToWrite.getPublic());
            } else {
                signer = env.keys().existingAccountKey(Optional.of(global().accountKey));
                if (!found.export.isKeyOf(signer.publicKey())) {
                    throw new ConfigFileException("--account-key " + Pkcs11Uri.redacted(global().accountKey)
                            + " is not the key of the exported account (its JWK thumbprint is "
                            + found.export.keyThumbprint() + ")");
                }
            }
            Account account = verify(client, signer, found);
            if (found.keyToWrite != null) {
                KeyFiles.write(Path.of(global().accountKey), found.keyToWrite);
            }
            if (named != null) {
                writeRecord(named, env, account, signer);
            }
            out().println(account.url());
            err().println("Imported " + found.what + "; --account-key " + Pkcs11Uri.redacted(global().accountKey)
                    + " now uses it" + (global().accountName != null ? " (--account " + global().accountName + ")" : "")
                    + (found.export != null && found.export.name().isPresent()
                    ? " (its local name: " + found.export.name().get() + ")" : ""));
            return Keyward.OK;
        }
    }

    /** The record of a named account: its URLs and contacts, and the key's reference when it has one. */
    private void writeRecord(Path folder, Environment env, Account account, AcmeSigner signer) throws Exception {
        AccountNames.writeRecord(global(), folder, env, account, signer);
    }

    /** The CA must know the key as the imported account, and the account must be valid. */
    private static Account verify(AcmeClient client, AcmeSigner signer, Found found) throws AcmeException {
        Account account;
        try {
            account = client.findAccount(signer);
        } catch (AcmeServerException e) {
            if (e.problem().isAcmeError("accountDoesNotExist")) {
                throw new AcmeException("the CA at " + client.directoryUrl() + " has no account for this key: the"
                        + " account " + found.accountUrl + " belongs to another CA, or was deleted; nothing was"
                        + " written", e);
            }
            throw e;
        }
        if (!account.url().equals(found.accountUrl)) {
            throw new AcmeException("the CA knows this key as the account " + account.url() + ", not "
                    + found.accountUrl + "; nothing was written");
        }
        if (account.status() != Status.VALID) {
            throw new AcmeException("the account " + account.url() + " is " + account.rawStatus()
                    + " at the CA and cannot be used; nothing was written");
        }
        return account;
    }

    private Found fromExport(URI directory) throws Exception {
        AccountExport export = AccountExport.read(source.file);
        Found found = new Found();
        found.export = export;
        found.accountUrl = export.accountUrl();
        found.directory = export.directoryUrl();
        found.what = "the account exported in " + source.file;
        if (directory != null && !sameDirectory(directory, export.directoryUrl())) {
            throw new UsageException("the export is of an account at " + export.directoryUrl() + ", not at the"
                    + " --directory " + directory);
        }
        switch (export.keyForm()) {
            case ENCRYPTED:
                requireKeyOption();
                AccountFiles.newKeyFile(global().accountKey);
                char[] secret = passphrase.forExistingKey();
                try {
                    found.keyToWrite = export.decryptKey(secret);
                } finally {
                    Arrays.fill(secret, '\0');
                }
                break;
            case REFERENCE:
                if (global().accountKey == null || (global().accountName != null
                        && !java.nio.file.Files.exists(Path.of(global().accountKey)))) {
                    global().accountKey = export.keyReference().orElseThrow();
                }
                break;
            default:
                if (global().accountKey == null) {
                    throw new UsageException("the export does not hold the key: give the account's key as"
                            + " --account-key");
                }
                break;
        }
        return found;
    }

    private Found fromCertbot(URI directory) throws Exception {
        requireKeyOption();
        AccountFiles.newKeyFile(global().accountKey);
        ForeignAccount account = ForeignAccount.fromCertbot(source.certbot, directory, accountId);
        return foreign(account, account.directoryUrl().orElse(directory), "certbot's account " + account.id());
    }

    private Found fromLego(URI directory) throws Exception {
        requireKeyOption();
        if (directory == null) {
            throw new UsageException("lego records only the CA's host and port: give --directory URL");
        }
        AccountFiles.newKeyFile(global().accountKey);
        ForeignAccount account = ForeignAccount.fromLego(source.lego, directory, accountId);
        return foreign(account, directory, "lego's account " + account.id());
    }

    private static Found foreign(ForeignAccount account, URI directory, String what) {
        Found found = new Found();
        found.accountUrl = account.accountUrl();
        found.directory = directory;
        found.keyToWrite = account.keyPair();
        found.what = what;
        return found;
    }

    private void requireKeyOption() throws UsageException {
        if (global().accountKey == null) {
            throw new UsageException("account import needs --account-key (a new PEM file for the imported key) or --account NAME;"
                    + " neither was given");
        }
    }

    /**
     * Two directory URLs name the same CA directory: equal but for the case of scheme and host, a
     * default port written out, and trailing slashes.
     */
    private static boolean sameDirectory(URI a, URI b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(URI uri) {
        URI n = uri.normalize();
        String scheme = n.getScheme().toLowerCase(Locale.ROOT);
        int port = n.getPort() != -1 ? n.getPort() : scheme.equals("http") ? 80 : 443;
        String path = n.getRawPath() == null ? "" : n.getRawPath().replaceAll("/+$", "");
        return scheme + "://" + String.valueOf(n.getHost()).toLowerCase(Locale.ROOT) + ":" + port + path
                + (n.getRawQuery() == null ? "" : "?" + n.getRawQuery());
    }
}
