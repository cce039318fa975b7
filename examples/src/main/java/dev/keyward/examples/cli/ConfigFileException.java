package dev.keyward.examples.cli;

/** A config file of {@code renew} or {@code run} that cannot be used: one line naming the key and the problem, exit code 2. */
final class ConfigFileException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigFileException(String message) {
        super(message);
    }
}
