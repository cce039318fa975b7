/**
 * PKCS#11 signers for Keyward (RFC 8555 section 6.2 signing with keys that never leave an HSM).
 *
 * <p>Not built yet: this module is a placeholder in the build so that its coordinates exist. Until
 * it lands, a PKCS#11 key can already sign through the core with
 * {@link dev.keyward.acme.Signers#jca(java.security.PrivateKey, java.security.PublicKey, java.security.Provider)}
 * and a configured SunPKCS11 provider.
 */
package dev.keyward.acme.pkcs11;
