/**
 * Keyward's ACME (RFC 8555) client. Only {@code dev.keyward.acme} is exported; the
 * {@code internal} package is not part of the API.
 */
module dev.keyward.acme {
    exports dev.keyward.acme;

    requires transitive okhttp3;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
    requires jdk.httpserver;
}
