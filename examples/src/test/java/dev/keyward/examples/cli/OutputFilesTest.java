package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated certificate key is never lost, and never left behind for nothing. */
class OutputFilesTest {
    @TempDir
    Path dir;

    private List<Path> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void aGeneratedKeyIsOnDiskBeforeAnythingIsIssued() throws Exception {
        KeyPair key = KeyType.EC_P256.generate();

        try (OutputFiles files = OutputFiles.prepare(dir, Optional.of(key))) {
            assertThat(partials()).singleElement().satisfies(p ->
                    assertThat(KeyFiles.read(p).getPublic()).isEqualTo(key.getPublic()));
        }
    }

    @Test
    void theSavedKeyIsDeletedWhenNothingWasIssuedForIt() throws Exception {
        try (OutputFiles files = OutputFiles.prepare(dir, Optional.of(KeyType.EC_P256.generate()))) {
            assertThat(partials()).hasSize(1);
        }

        assertThat(partials()).isEmpty();
    }

    @Test
    void theSavedKeyIsKeptWhenTheCsrWasSentButTheCertificateNeverWritten() throws Exception {
        try (OutputFiles files = OutputFiles.prepare(dir, Optional.of(KeyType.EC_P256.generate()))) {
            files.issued();
        }

        assertThat(partials()).hasSize(1);
    }

    @Test
    void aCallersOwnKeyLeavesNoFileBehind() throws Exception {
        try (OutputFiles files = OutputFiles.prepare(dir.resolve("new/nested"), Optional.empty())) {
            assertThat(dir.resolve("new/nested")).isDirectory();
        }

        assertThat(partials()).isEmpty();
    }
}
