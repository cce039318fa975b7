/**
 * Keyward's certificate manager: keeps the certificates of a Java server issued (RFC 8555) and
 * renewed (RFC 9773 when the CA offers it), and serves them by SNI. Only
 * {@code dev.keyward.acme.manager} is exported.
 */
module dev.keyward.acme.manager {
    exports dev.keyward.acme.manager;

    requires transitive dev.keyward.acme;
    requires org.slf4j;
    requires static micrometer.core;
}
