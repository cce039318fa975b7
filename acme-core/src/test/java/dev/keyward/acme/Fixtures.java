package dev.keyward.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads the JSON fixtures of {@code src/test/resources/fixtures}. They are written as Pebble
 * serves them, with Pebble's {@code https://localhost:14000} base URL, which
 * {@link #rebased(String, String)} swaps for the URL of the server that serves them in a test.
 */
final class Fixtures {
    /** The base URL Pebble announces, as written in the fixtures. */
    static final String PEBBLE_BASE = "https://localhost:14000";

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture named " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String rebased(String name, String baseUrl) {
        return text(name).replace(PEBBLE_BASE, baseUrl);
    }
}
