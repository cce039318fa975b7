/**
 * Keyward's PKCS#11 signer (RFC 8555 section 6.2 request signing, section 7.4 CSRs, with keys that
 * never leave a token). Exports its one package; signing goes through the JDK's SunPKCS11 provider
 * (module {@code jdk.crypto.cryptoki}, found as a security provider at run time) and the token's
 * slots are listed through JNA, an automatic module.
 */
@SuppressWarnings("requires-automatic")
module dev.keyward.acme.pkcs11 {
    exports dev.keyward.acme.pkcs11;

    requires transitive dev.keyward.acme;
    requires com.sun.jna;
}
