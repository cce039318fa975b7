package dev.keyward.acme;

import dev.keyward.acme.ForeignFiles.Found;
import dev.keyward.acme.internal.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads certbot's accounts: {@code CONFIG_DIR/accounts/<host[:port]>/<path>/<id>/} holding
 * {@code regr.json} ({@code {"body": {...}, "uri": ACCOUNT_URL}}) and {@code private_key.json} (a
 * private JWK, RSA by default). The folders between {@code accounts} and the id are the directory
 * URL without its {@code https://}.
 */
final class CertbotAccounts {
    /** How deep below {@code accounts/} an account folder may be (host, path segments, id). */
    private static final int MAX_DEPTH = 10;

    private CertbotAccounts() {
    }


    static ForeignAccount read(Path configDir, URI directory, String accountId) throws AccountFileException {
        Path accounts = configDir.resolve("accounts");
        if (!Files.isDirectory(accounts)) {
            throw new AccountFileException(AccountFileException.Reason.NOT_FOUND,
                    "no certbot accounts in " + configDir + " (it has no accounts folder)");
        }
        List<Found> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(accounts, MAX_DEPTH)) {
            for (Path regr : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("regr.json"))::iterator) {
                Path folder = regr.getParent();
                Path server = accounts.relativize(folder.getParent());
                if (server.getNameCount() == 0 || server.toString().isEmpty()) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                server.forEach(p -> parts.add(p.toString()));
                all.add(new Found(folder, String.join("/", parts), folder.getFileName().toString()));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new AccountFileException(AccountFileException.Reason.IO, "cannot list the certbot accounts in "
                    + accounts + ": " + e.getMessage(), e);
        }
        String wanted = directory == null ? null : serverPath(directory);
        Found found = ForeignFiles.choose("certbot", all, wanted, accountId, accounts, "id");
        JsonObject regr = ForeignFiles.json(found.folder().resolve("regr.json"));
        URI accountUrl = ForeignFiles.httpUrl(regr, "uri", found.folder().resolve("regr.json"));
        List<String> contacts;
        try {
            contacts = regr.optObject("body").map(b -> b.strings("contact")).orElse(List.of());
        } catch (AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, e.getMessage(), e);
        }
        Path keyFile = found.folder().resolve("private_key.json");
        java.security.KeyPair key = AccountKeys.readPrivateJwk(ForeignFiles.text(keyFile), keyFile.toString());
        URI directoryUrl = directory;
        if (directoryUrl == null) {
            try {
                directoryUrl = new URI("https://" + found.server());
            } catch (URISyntaxException e) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED, "the certbot server folder "
                        + found.server() + " is not a URL's host and path", e);
            }
        }
        return new ForeignAccount(ForeignAccount.Source.CERTBOT, found.id(), directoryUrl, accountUrl, contacts, key);
    }

    /** certbot's server path of a directory URL: the authority and path, without a trailing slash. */
    static String serverPath(URI directory) {
        String path = directory.getRawPath() == null ? "" : directory.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return directory.getRawAuthority() + path;
    }
}
