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
import java.util.List;

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
                    + ioReason(e), e);
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

    /** An account folder another client wrote: the folder, the server it belongs to, the account's id there. */
    record Found(Path folder, String server, String id) {
        @Override
        public String toString() {
            return id + " (" + server + ")";
        }
    }

    /**
     * The one account of {@code all} for the server and id asked for (null: any), or a typed
     * refusal listing what there is.
     */
    static Found choose(String client, List<Found> all, String server, String id, Path accounts, String idName)
            throws AccountFileException {
        List<Found> matching = all.stream()
                .filter(f -> server == null || f.server().equals(server))
                .filter(f -> id == null || f.id().equals(id))
                .sorted(java.util.Comparator.comparing(Found::toString))
                .collect(java.util.stream.Collectors.toList());
        if (matching.isEmpty()) {
            throw new AccountFileException(AccountFileException.Reason.NOT_FOUND, "no " + client + " account"
                    + (id == null ? "" : " " + id) + (server == null ? "" : " for " + server) + " in " + accounts
                    + (all.isEmpty() ? "" : "; it has: " + all.stream().map(Found::toString).sorted()
                    .collect(java.util.stream.Collectors.joining(", "))));
        }
        if (matching.size() > 1) {
            throw new AccountFileException(AccountFileException.Reason.AMBIGUOUS, "several " + client
                    + " accounts match: " + matching.stream().map(Found::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + "; choose one by its " + idName);
        }
        return matching.get(0);
    }

    /** Why a file operation failed, in words (never a class name): permission denied, the system's reason, or its message. */
    static String ioReason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
            return ((java.nio.file.FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? "an I/O error" : e.getMessage();
    }
}
