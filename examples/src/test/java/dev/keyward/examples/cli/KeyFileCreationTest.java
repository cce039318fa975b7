package dev.keyward.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key file appears whole or not at all: created through a fsynced temporary file linked into
 * place, so only one of several creators wins and the others use its key; an empty file left by an
 * interrupted writer is replaced, so a rerun converges.
 */
class KeyFileCreationTest {
    @TempDir
    Path dir;

    @Test
    void eightCreatorsAtOnceAllEndWithTheOneKeyThatWon() throws Exception {
        Path file = dir.resolve("account.pem");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<PublicKey>> keys = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Callable<PublicKey> creator = () -> {
                    start.await();
                    return KeyFiles.readOrCreate(file, KeyType.EC_P256::generate).getPublic();
                };
                keys.add(pool.submit(creator));
            }
            start.countDown();
            PublicKey onFile = null;
            for (Future<PublicKey> key : keys) {
                PublicKey got = key.get(30, TimeUnit.SECONDS);
                if (onFile == null) {
                    onFile = KeyFiles.read(file).getPublic();
                }
                assertThat(got).isEqualTo(onFile);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.size(file)).isPositive();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void anEmptyKeyFileFromAnInterruptedWriterIsReplacedSoTheRunGoesOn() throws Exception {
        Path file = dir.resolve("account.pem");
        Files.createFile(file);

        KeyPair pair = KeyFiles.readOrCreate(file, KeyType.EC_P256::generate);

        assertThat(KeyFiles.read(file).getPublic()).isEqualTo(pair.getPublic());
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("account.pem");
        KeyPair first = KeyFiles.readOrCreate(file, KeyType.EC_P256::generate);

        KeyPair again = KeyFiles.readOrCreate(file, KeyType.EC_P256::generate);

        assertThat(again.getPublic()).isEqualTo(first.getPublic());
    }
}
