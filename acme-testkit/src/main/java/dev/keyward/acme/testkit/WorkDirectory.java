package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The folder that holds one run's configuration, TLS material and logs. */
final class WorkDirectory {

    private final Path path;
    private final boolean temporary;

    private WorkDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** Uses {@code configured}, created if missing and kept afterwards, or else a fresh temporary folder. */
    static WorkDirectory create(Optional<Path> configured) {
        try {
            if (configured.isPresent()) {
                return new WorkDirectory(Files.createDirectories(configured.get()), false);
            }
            return new WorkDirectory(Files.createTempDirectory("keyward-pebble-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Pebble work directory", e);
        }
    }

    /** The folder. */
    Path path() {
        return path;
    }

    /** Deletes the folder and its content if it was created as a temporary folder; best effort. */
    void release() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(WorkDirectory::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // Leftovers in the temporary folder are harmless.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Leftovers in the temporary folder are harmless.
        }
    }
}
