package dev.keyward.acme;

import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small files of other ACME clients, bounded in size; errors name the file, never its content. */
final class ForeignFiles {
    /** The largest file read: account files and keys are a few kilobytes. */
    static final int MAX_BYTES = 256 * 1024;

    private ForeignFiles() {
    }

    static String text(Path file) throws AccountFileException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, file + " is missing", e);
        } catch (IOException e) {
            throw new AccountFileException(AccountFileException.Reason.IO, "cannot read " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, file + " is larger than "
                    + MAX_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static JsonObject json(Path file) throws AccountFileException {
        String text = text(file);
        try {
            return Json.parseObject(text.getBytes(StandardCharsets.UTF_8), file.toString());
        } catch (AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, e.getMessage(), e);
        }
    }

    static URI httpUrl(JsonObject json, String member, Path file) throws AccountFileException {
        try {
            String text = json.optString(member).orElseThrow(() -> new AccountFileException(
                    AccountFileException.Reason.MALFORMED, file + " has no " + member));
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                throw new AccountFileException(AccountFileException.Reason.MALFORMED, file + ": " + member
                        + " is not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException | AcmeProtocolException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, file + ": " + member + " is not a URL", e);
        }
    }
}
