package dev.keyward.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the requests Pebble logged ({@code pebble.log} in its work directory holds a line
 * {@code GET /dir -> calling handler()} for each), so that a client running in another process can be
 * counted without touching it. Pebble logs the route, not the full path ({@code POST /authZ/}), which
 * is enough to tell the {@link RequestKind}.
 */
final class PebbleRequestLog {
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    private final Path file;

    PebbleRequestLog(Path file) {
        this.file = file;
    }

    /** @return the current end of the log, to count from */
    long mark() throws IOException {
        return Files.size(file);
    }

    /**
     * Counts the requests logged after {@code mark}.
     *
     * @param mark a value of {@link #mark()}
     * @return the counts keyed by {@code "METHOD kind"}, sorted by key
     */
    Map<String, Integer> requestsSince(long mark) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            counts.merge(m.group(1) + " " + RequestKind.of(m.group(2)).label(), 1, Integer::sum);
        }
        return counts;
    }

    /** @return the sum of the counts */
    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
