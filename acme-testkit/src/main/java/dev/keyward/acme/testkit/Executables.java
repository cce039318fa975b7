package dev.keyward.acme.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Pebble executables and explains how to install them when they are missing. */
final class Executables {

    /** The command that installs both executables on Debian and Ubuntu. */
    static final String INSTALL_COMMAND = "apt-get install pebble";

    private Executables() {
    }

    /**
     * Returns {@code configured} when it is given, else {@code defaultPath} when that is executable,
     * else the first executable named like it on {@code PATH}, else {@code defaultPath} (which then
     * fails {@link #requireExecutable}).
     */
    static Path resolve(Optional<Path> configured, Path defaultPath) {
        if (configured.isPresent()) {
            return configured.get();
        }
        if (isExecutable(defaultPath)) {
            return defaultPath;
        }
        return onPath(defaultPath.getFileName().toString()).orElse(defaultPath);
    }

    /**
     * Throws an {@link IllegalStateException} telling how to install Pebble unless {@code binary} is
     * an executable regular file.
     */
    static void requireExecutable(Path binary, String role) {
        if (!isExecutable(binary)) {
            throw new IllegalStateException(role + " is not installed: no executable file at " + binary
                    + ". Install it with `" + INSTALL_COMMAND + "` (run as root; the Debian package pebble"
                    + " ships both /usr/bin/pebble and /usr/bin/pebble-challtestsrv), or point the builder"
                    + " at the binaries with pebbleBinary(Path) and challtestsrvBinary(Path).");
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(directory, name);
                if (isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException ignored) {
                // A malformed PATH entry cannot hold the binary.
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
