package dev.keyward.examples.cli;

/**
 * Turns SIGTERM and SIGINT into a call instead of the JVM's exit (code 143 or 130 from its own
 * handler), so that {@code run} closes the manager and exits 0. Uses {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}); where a signal cannot be caught, the JVM's default stays.
 */
final class StopSignals {
    private StopSignals() {
    }

    static void install(Runnable onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform does not let the signal be caught: the JVM's default handling stays
            }
        }
    }
}
