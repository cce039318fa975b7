package dev.keyward.acme.pkcs11;

import java.io.IOException;

/**
 * Supplies the user PIN of a PKCS#11 token (OASIS PKCS#11 base specification, {@code C_Login}) when
 * {@link Pkcs11KeyStore.Builder#open()} logs in, so the PIN need not be held in memory before then:
 * read it from a file, a secrets manager or a console at that moment.
 *
 * <p>Keyward clears the returned array (fills it with {@code '\0'}) once the login is done, whether
 * it succeeded or not: return a fresh array, never one you keep.
 */
@FunctionalInterface
public interface PinCallback {
    /**
     * Returns the PIN.
     *
     * @return a fresh array holding the PIN; Keyward clears it after use
     * @throws IOException if the PIN cannot be read; {@code open()} then fails with
     *     {@link Pkcs11Exception.Reason#PIN_UNAVAILABLE}
     */
    char[] pin() throws IOException;
}
