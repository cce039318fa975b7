package dev.keyward.acme.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Snapshots of the JVM's live threads, to tell which threads a piece of work left behind. A pooled
 * worker that existed before but now runs something else under another name (OkHttp names the
 * worker that reads an HTTP/2 connection {@code OkHttp <host>}) counts as new. Threads end
 * asynchronously, so {@link #leftSince(Map, Predicate, Duration)} joins each leftover until it
 * ends or a deadline passes, rather than sleeping a fixed time.
 */
final class LiveThreads {
    private static final long JOIN_SLICE_MILLIS = 50;

    private LiveThreads() {
    }

    /** @return the live threads now, each with its current name */
    static Map<Thread, String> snapshot() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.toMap(Function.identity(), Thread::getName, (a, b) -> a));
    }

    /**
     * The threads alive now that were not alive under the same name in {@code before} and that
     * {@code allowed} does not excuse, waited for (by joining them) until there are none or
     * {@code deadline} passes.
     *
     * @param before a {@link #snapshot()} taken before the work
     * @param allowed the threads that may stay, such as a shared pool's idle workers
     * @param deadline how long to wait for leftovers to end
     * @return the leftover threads by name and id, with their state; empty when none remain
     * @throws InterruptedException if the waiting thread is interrupted
     */
    static Map<String, Thread.State> leftSince(Map<Thread, String> before, Predicate<Thread> allowed,
                                               Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Thread> leftovers = leftovers(before, allowed);
        while (!leftovers.isEmpty() && System.nanoTime() < end) {
            // A pooled worker may go idle (and so be allowed) instead of ending: look again often.
            leftovers.get(0).join(Math.max(1, Math.min(JOIN_SLICE_MILLIS, (end - System.nanoTime()) / 1_000_000)));
            leftovers = leftovers(before, allowed);
        }
        return leftovers.stream().collect(Collectors.toMap(t -> t.getName() + "#" + t.getId(), Thread::getState,
                (a, b) -> a, TreeMap::new));
    }

    /**
     * The threads alive now under a name that {@code before} did not have, as {@link #leftSince}
     * counts them, without waiting.
     *
     * @param before a {@link #snapshot()}
     * @param named which names to report
     * @return the names of such threads
     */
    static List<String> startedSince(Map<Thread, String> before, Predicate<String> named) {
        return leftovers(before, t -> false).stream().map(Thread::getName).filter(named).sorted().toList();
    }

    private static List<Thread> leftovers(Map<Thread, String> before, Predicate<Thread> allowed) {
        return snapshot().entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(Map.Entry::getKey)
                .filter(t -> t.isAlive() && !allowed.test(t))
                .toList();
    }
}
