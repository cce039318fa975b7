package dev.keyward.acme.testkit;

/** Pebble or challtestsrv did not come up; the message carries the tail of the relevant log. */
final class StartupFailure extends IllegalStateException {

    private final boolean portConflict;

    StartupFailure(String message, boolean portConflict) {
        super(message);
        this.portConflict = portConflict;
    }

    /** Whether a process failed because another process took one of its ports meanwhile. */
    boolean portConflict() {
        return portConflict;
    }

    /** Describes the early exit of {@code process}, with its log tail. */
    static StartupFailure exited(ManagedProcess process) {
        String tail = process.logTail();
        return new StartupFailure(process.name() + " exited with code " + process.exitValue()
                + " during startup; last lines of " + process.logFile() + ":\n" + tail,
                tail.contains("address already in use"));
    }
}
