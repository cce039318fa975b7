package dev.keyward.examples.cli;

/** A command line the client cannot run: exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
