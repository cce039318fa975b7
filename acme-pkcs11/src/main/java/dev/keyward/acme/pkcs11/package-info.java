/**
 * ACME keys in a PKCS#11 token (an HSM, a smart card, SoftHSM): the account key signs every JWS of
 * RFC 8555 section 6.2 (new account, key rollover in both directions, revocation) and a certificate
 * key signs the CSR of section 7.4, and neither ever leaves the token.
 *
 * <p>The one entry point is {@link dev.keyward.acme.pkcs11.Pkcs11KeyStore}: a builder takes the
 * library path, the token (by label, slot id or slot list index) and the PIN (a {@code char[]} that
 * is copied and cleared after login, or a {@link dev.keyward.acme.pkcs11.PinCallback}), and
 * {@code signer(keyLabel)} returns an {@link dev.keyward.acme.AcmeSigner} for a key whose label is
 * its {@code keytool} alias. Failures are {@link dev.keyward.acme.pkcs11.Pkcs11Exception}s with a
 * {@link dev.keyward.acme.pkcs11.Pkcs11Exception.Reason}.
 *
 * <h2>How it reaches the token</h2>
 * <p>Signing goes through the JDK's SunPKCS11 provider, configured per token at run time; nothing
 * is registered in {@link java.security.Security}. SunPKCS11's configuration has no token-label
 * setting, only {@code slot} and {@code slotListIndex}, and some libraries move tokens between
 * slots ({@code softhsm2-util --init-token --free} puts a new token at a slot id derived from its
 * serial number). So Keyward asks the library itself for its slots and their token labels, with four
 * PKCS#11 calls ({@code C_GetFunctionList}, {@code C_Initialize}, {@code C_GetSlotList},
 * {@code C_GetTokenInfo}) made through <a href="https://github.com/java-native-access/jna">JNA</a>
 * ({@code net.java.dev.jna:jna}, from Maven Central), then configures SunPKCS11 with the slot it
 * found. We chose JNA over the JDK's own {@code sun.security.pkcs11.wrapper}, which would need
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} on every JVM that
 * uses this module (applications, test runners, the CLI's manifest) and is an internal API free to
 * change between JDK releases; with JNA no JVM flag is needed.
 *
 * <p>The library is initialised once per JVM exactly as SunPKCS11 initialises it
 * ({@code CKF_OS_LOCKING_OK}) and never finalised, since SunPKCS11 shares the loaded library and
 * accepts {@code CKR_CRYPTOKI_ALREADY_INITIALIZED}. Some libraries, SoftHSM among them, list their
 * tokens only once, at {@code C_Initialize}: a token created later by another process is found only
 * by a new JVM.
 */
package dev.keyward.acme.pkcs11;
