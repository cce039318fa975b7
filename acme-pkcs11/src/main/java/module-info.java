/**
 * Keyward's PKCS#11 signer (RFC 8555 section 6.2 request signing, section 7.4 CSRs, with keys that
 * never leave a token). Exports its one package; every Cryptoki call (token and key lookup, login,
 * signing, key generation) goes through JNA, an automatic module, with each PKCS#11 module loaded
 * privately ({@code RTLD_LOCAL}).
 */
@SuppressWarnings("requires-automatic")
module dev.keyward.acme.pkcs11 {
    exports dev.keyward.acme.pkcs11;

    requires transitive dev.keyward.acme;
    requires com.sun.jna;
}
