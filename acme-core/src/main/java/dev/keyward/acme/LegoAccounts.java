package dev.keyward.acme;

import dev.keyward.acme.ForeignFiles.Found;
import dev.keyward.acme.internal.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads lego's accounts: {@code LEGO_PATH/accounts/<host>_<port>/<email>/account.json}
 * ({@code {"email": ..., "registration": {"body": {"contact": [...]}, "uri": ACCOUNT_URL}}}) and
 * {@code keys/<email>.key} beside it (PEM, EC P-256 by default).
 */
final class LegoAccounts {
    /** The most folders read per level, so a huge tree cannot keep the reader busy. */
    private static final int MAX_ENTRIES = 10_000;

    private LegoAccounts() {
    }


    static ForeignAccount read(Path legoPath, URI directory, String email) throws AccountFileException {
        Path accounts = legoPath.resolve("accounts");
        if (!Files.isDirectory(accounts)) {
            throw new AccountFileException(AccountFileException.Reason.NOT_FOUND,
                    "no lego accounts in " + legoPath + " (it has no accounts folder)");
        }
        List<Found> all = new ArrayList<>();
        try {
            for (Path server : folders(accounts)) {
                for (Path account : folders(server)) {
                    if (Files.isRegularFile(account.resolve("account.json"))) {
                        all.add(new Found(account, server.getFileName().toString(), account.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new AccountFileException(AccountFileException.Reason.IO, "cannot list the lego accounts in "
                    + accounts + ": " + e.getMessage(), e);
        }
        String wanted = directory == null ? null : hostPort(directory);
        Found found = ForeignFiles.choose("lego", all, wanted, email, accounts, "e-mail");
        Path accountFile = found.folder().resolve("account.json");
        JsonObject account = ForeignFiles.json(accountFile);
        JsonObject registration;
        try {
            registration = account.optObject("registration").orElse(null);
        } catch (AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, e.getMessage(), e);
        }
        if (registration == null) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED,
                    accountFile + " has no registration (lego did not register it)");
        }
        URI accountUrl = ForeignFiles.httpUrl(registration, "uri", accountFile);
        List<String> contacts;
        try {
            contacts = registration.optObject("body").map(b -> b.strings("contact")).orElse(List.of());
        } catch (AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, e.getMessage(), e);
        }
        Path keyFile = found.folder().resolve("keys").resolve(found.id() + ".key");
        java.security.KeyPair key = AccountKeys.readPem(ForeignFiles.text(keyFile), keyFile.toString());
        return new ForeignAccount(ForeignAccount.Source.LEGO, found.id(), null, accountUrl, contacts, key);
    }

    /** lego's folder name of a CA: its host and port with {@code :} replaced by {@code _}. */
    static String hostPort(URI directory) {
        return directory.getRawAuthority().replace(':', '_');
    }

    private static List<Path> folders(Path parent) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path p : entries) {
                if (out.size() >= MAX_ENTRIES) {
                    break;
                }
                out.add(p);
            }
        }
        return out;
    }
}
