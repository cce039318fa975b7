/**
 * Keyward's test kit: a real Pebble ACME server (RFC 8555) started per test run, with its
 * challenge test server, http-01 responder and trust material, a KMS emulator and SoftHSM2 or
 * openCryptoki tokens. Exports its one package. JUnit Jupiter is optional: {@code PebbleServer}
 * runs without it, {@code PebbleExtension} needs it.
 */
module dev.keyward.acme.testkit {
    exports dev.keyward.acme.testkit;

    requires static transitive org.junit.jupiter.api;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires java.management;
    requires java.net.http;
    requires jdk.httpserver;
}
