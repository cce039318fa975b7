package dev.keyward.acme;

/** The library version, for the {@code User-Agent} header. */
final class Version {
    static final String VERSION = "0.1.0-SNAPSHOT";

    private Version() {
    }
}
