package dev.keyward.acme.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pebble's request log ({@code METHOD /path -> calling handler} per request), counted from a mark. */
final class PebbleLog {
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    private final Path file;
    private final long mark;

    private PebbleLog(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    static PebbleLog from(Path pebbleWorkDirectory) throws IOException {
        Path file = pebbleWorkDirectory.resolve("pebble.log");
        return new PebbleLog(file, Files.size(file));
    }

    /** Requests logged since the mark whose path starts with the prefix (null: all). */
    int count(String method, String pathPrefix) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int n = 0;
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            if ((method == null || m.group(1).equals(method)) && (pathPrefix == null || m.group(2).startsWith(pathPrefix))) {
                n++;
            }
        }
        return n;
    }

    /** The paths of the requests logged since the mark, for a failure message. */
    java.util.List<String> paths() throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    int newOrders() throws IOException {
        return count("POST", "/order-plz");
    }

    int finalizations() throws IOException {
        return count("POST", "/finalize-order/");
    }

    int all() throws IOException {
        return count(null, null);
    }
}
