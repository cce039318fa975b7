/**
 * ACME keys in a PKCS#11 token (an HSM, a smart card, SoftHSM, openCryptoki): the account key signs
 * every JWS of RFC 8555 section 6.2 (new account, key rollover in both directions, revocation) and a
 * certificate key signs the CSR of section 7.4, and neither ever leaves the token.
 *
 * <p>The one entry point is {@link dev.keyward.acme.pkcs11.Pkcs11KeyStore}: a builder takes the
 * library path, the token (by label, slot id or slot list index) and the PIN (a {@code char[]} that
 * is copied and cleared after login, or a {@link dev.keyward.acme.pkcs11.PinCallback}).
 * {@code signer(label)}, {@code signerById(id)} and {@code signer(label, id)} return an
 * {@link dev.keyward.acme.AcmeSigner} for a private key named as RFC 7512 names it (its
 * {@code CKA_LABEL}, its {@code CKA_ID}); {@code generateKeyPair(label, type)} makes a key pair inside
 * the token that never leaves it ({@link dev.keyward.acme.pkcs11.Pkcs11KeyType},
 * {@link dev.keyward.acme.pkcs11.Pkcs11KeyProtection}). Failures are
 * {@link dev.keyward.acme.pkcs11.Pkcs11Exception}s with a
 * {@link dev.keyward.acme.pkcs11.Pkcs11Exception.Reason}.
 *
 * <h2>How it reaches the token</h2>
 * <p>Keyward speaks Cryptoki to the module itself, through
 * <a href="https://github.com/java-native-access/jna">JNA</a> ({@code net.java.dev.jna:jna}): sessions,
 * login, {@code C_FindObjects}, {@code C_GetAttributeValue}, {@code C_Sign} and
 * {@code C_GenerateKeyPair}. The JDK's SunPKCS11 provider is not used: its key store sees only private
 * keys that have a certificate, and it reaches a token by slot, not label. The JDK's internal
 * {@code sun.security.pkcs11.wrapper} would need {@code --add-exports} on every JVM; with JNA no JVM
 * flag is needed.
 *
 * <p>Each module is loaded with {@code RTLD_LOCAL} and called only through the function list its own
 * {@code C_GetFunctionList} returns, so several modules can serve one JVM: loaded into the global
 * symbol scope (JNA's default), the first module's {@code C_*} symbols would answer the calls of every
 * later one, which would then list the first module's tokens and sign with its keys. A module is
 * initialised once per JVM ({@code CKF_OS_LOCKING_OK}) and never finalised. Some modules, SoftHSM
 * among them, list their tokens only once, at {@code C_Initialize}: a token created later by another
 * process is found only by a new JVM.
 */
package dev.keyward.acme.pkcs11;
