package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pool of unused {@code Replay-Nonce} values (RFC 8555 sections 6.5 and 7.2). */
class NoncePoolTest {
    @Test
    void eachNonceIsHandedOutOnceNewestFirst() {
        NoncePool pool = new NoncePool(8);
        pool.offer("oFvnlFP1wIhRlYS2jTaXbA");
        pool.offer("T81bdZroZ2ITWSondpTmAw");

        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.take()).contains("T81bdZroZ2ITWSondpTmAw");
        assertThat(pool.take()).contains("oFvnlFP1wIhRlYS2jTaXbA");
        assertThat(pool.take()).isEmpty();
        assertThat(pool.size()).isZero();
    }

    @Test
    void thePoolKeepsAtMostItsCapacityDroppingTheOldest() {
        NoncePool pool = new NoncePool(3);
        for (int i = 1; i <= 5; i++) {
            pool.offer("nonce" + i);
        }

        assertThat(pool.size()).isEqualTo(3);
        assertThat(List.of(pool.take(), pool.take(), pool.take(), pool.take())).containsExactly(
                Optional.of("nonce5"), Optional.of("nonce4"), Optional.of("nonce3"), Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "padded==", "plus+slash/", "quoted\"", "ümlaut", "nonce!"})
    void valuesThatAreNotBase64urlAreIgnored(String value) {
        NoncePool pool = new NoncePool(8);

        pool.offer(value);

        assertThat(pool.size()).isZero();
        assertThat(pool.take()).isEmpty();
    }

    @Test
    void aMissingNonceIsIgnored() {
        NoncePool pool = new NoncePool(8);

        pool.offer(null);

        assertThat(pool.size()).isZero();
    }

    @Test
    void theCapacityMustBePositive() {
        assertThatThrownBy(() -> new NoncePool(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentTakersFromEightThreadsGetDistinctNonces() throws Exception {
        int count = 4000;
        NoncePool pool = new NoncePool(count);
        Set<String> offered = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String nonce = "n" + i;
            offered.add(nonce);
            pool.offer(nonce);
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(threads.submit(takeAll(pool, start)));
            }
            start.countDown();
            List<String> taken = new ArrayList<>();
            for (Future<List<String>> result : results) {
                taken.addAll(result.get(30, TimeUnit.SECONDS));
            }

            assertThat(taken).hasSize(count).doesNotHaveDuplicates();
            assertThat(new HashSet<>(taken)).isEqualTo(offered);
            assertThat(pool.size()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void concurrentOffersAndTakesLoseAndDuplicateNothing() throws Exception {
        int perThread = 1000;
        NoncePool pool = new NoncePool(4 * perThread);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> takers = new ArrayList<>();
            List<Future<?>> offerers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                offerers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        pool.offer("t" + thread + "n" + i);
                    }
                    return null;
                }));
                takers.add(threads.submit(() -> {
                    start.await();
                    List<String> taken = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        pool.take().ifPresent(taken::add);
                    }
                    return taken;
                }));
            }
            start.countDown();
            for (Future<?> offerer : offerers) {
                offerer.get(30, TimeUnit.SECONDS);
            }
            List<String> takenWhileOffering = new ArrayList<>();
            for (Future<List<String>> taker : takers) {
                takenWhileOffering.addAll(taker.get(30, TimeUnit.SECONDS));
            }
            int left = pool.size();
            List<String> takenAfterwards = takeAll(pool, new CountDownLatch(0)).call();

            assertThat(takenAfterwards).hasSize(left);
            List<String> all = new ArrayList<>(takenWhileOffering);
            all.addAll(takenAfterwards);
            assertThat(all).hasSize(4 * perThread).doesNotHaveDuplicates();
            assertThat(pool.size()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<List<String>> takeAll(NoncePool pool, CountDownLatch start) {
        return () -> {
            start.await();
            List<String> taken = new ArrayList<>();
            for (Optional<String> n = pool.take(); n.isPresent(); n = pool.take()) {
                taken.add(n.get());
            }
            return taken;
        };
    }
}
