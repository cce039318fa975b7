package dev.keyward.acme.pkcs11;

import java.io.IOException;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;

/**
 * The tokens this JVM has logged in to through Keyward: one SunPKCS11 provider and key store per
 * library and slot, shared by every {@link Pkcs11KeyStore} opened on it and logged out when the last
 * one closes. Sharing is forced by PKCS#11 itself: a login holds for every session of the process.
 */
final class OpenTokens {
    /** {@code CK_TOKEN_INFO.flags}: the token needs {@code C_Login} before private keys can be used. */
    private static final long CKF_LOGIN_REQUIRED = 0x4;

    private static final Map<String, OpenToken> OPEN = new HashMap<>();

    private OpenTokens() {
    }

    /** One logged-in token. */
    static final class OpenToken {
        final String description;
        final Provider provider;
        final KeyStore keyStore;
        private final String key;
        private final PinVerifier pinVerifier;
        private int references;

        private OpenToken(String key, String description, Provider provider, KeyStore keyStore, PinVerifier pinVerifier) {
            this.key = key;
            this.description = description;
            this.provider = provider;
            this.keyStore = keyStore;
            this.pinVerifier = pinVerifier;
        }
    }

    /**
     * Logs in to the token in {@code slot}, or joins the login another store holds after checking
     * the PIN against the one that logged in. Does not clear {@code pin}.
     */
    static synchronized OpenToken acquire(Path library, Cryptoki.Slot slot, char[] pin) throws Pkcs11Exception {
        String key = library + "#" + slot.id;
        String description = "token " + slot + " of " + library;
        if (pin == null && (slot.flags & CKF_LOGIN_REQUIRED) != 0) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.PIN_UNAVAILABLE,
                    description + " requires a PIN; give one with pin(char[]) or pinCallback(...)", null);
        }
        OpenToken open = OPEN.get(key);
        if (open != null) {
            if (!open.pinVerifier.matches(pin)) {
                throw new Pkcs11Exception(Pkcs11Exception.Reason.WRONG_PIN, "wrong PIN for " + description
                        + " (it differs from the PIN of the session open in this JVM)", null);
            }
            open.references++;
            return open;
        }
        Provider provider = provider(library, slot, description);
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw loginFailure(description, e);
        }
        open = new OpenToken(key, description, provider, keyStore, PinVerifier.of(pin));
        open.references = 1;
        OPEN.put(key, open);
        return open;
    }

    /** Gives back one reference; the last one logs the token out. */
    static synchronized void release(OpenToken token) {
        if (--token.references > 0) {
            return;
        }
        OPEN.remove(token.key, token);
        if (token.provider instanceof AuthProvider) {
            try {
                ((AuthProvider) token.provider).logout();
            } catch (LoginException | ProviderException ignored) {
                // The token is gone or logged out already: nothing is left to release.
            }
        }
    }

    private static Provider provider(Path library, Cryptoki.Slot slot, String description) throws Pkcs11Exception {
        Provider prototype = Security.getProvider("SunPKCS11");
        if (prototype == null) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "this JDK has no SunPKCS11 provider"
                    + " (module jdk.crypto.cryptoki); it is needed to use " + description, null);
        }
        try {
            return prototype.configure(SunPkcs11Config.of(library, slot));
        } catch (ProviderException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "SunPKCS11 cannot use " + description
                    + ": " + ReturnValues.describe(e), e);
        }
    }

    private static Pkcs11Exception loginFailure(String description, Exception e) {
        if (ReturnValues.chainHas(e, "CKR_PIN_LOCKED", null)) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.PIN_LOCKED,
                    "the user PIN of " + description + " is locked (CKR_PIN_LOCKED)", e);
        }
        if (ReturnValues.chainHas(e, "CKR_PIN_INCORRECT", FailedLoginException.class)
                || ReturnValues.chainHas(e, "CKR_PIN_LEN_RANGE", null)) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.WRONG_PIN,
                    "wrong PIN for " + description + " (" + ReturnValues.describe(e) + ")", e);
        }
        if (ReturnValues.chainHas(e, null, LoginException.class)) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.PIN_UNAVAILABLE,
                    "cannot log in to " + description + ": " + ReturnValues.describe(e), e);
        }
        return new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                "cannot open the key store of " + description + ": " + ReturnValues.describe(e), e);
    }
}
