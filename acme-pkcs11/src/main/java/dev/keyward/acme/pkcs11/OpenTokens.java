package dev.keyward.acme.pkcs11;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The tokens this JVM has logged in to through Keyward: one login per module and slot, shared by
 * every {@link Pkcs11KeyStore} opened on it and logged out when the last one closes. Sharing is forced
 * by PKCS#11 itself: a login holds for every session of the process, and ends when its last session
 * closes, so each open token keeps one session for the login and lends others, one thread at a time,
 * from a pool (a Cryptoki session is not safe for concurrent use).
 */
final class OpenTokens {
    /** {@code CK_TOKEN_INFO.flags}: the token needs {@code C_Login} before private keys can be used. */
    private static final long CKF_LOGIN_REQUIRED = 0x4;

    private static final Map<String, OpenToken> OPEN = new HashMap<>();

    private OpenTokens() {
    }

    /** Work done in one borrowed session. */
    @FunctionalInterface
    interface SessionWork<T> {
        T run(long session) throws Cryptoki.CallFailed, Pkcs11Exception;
    }

    /** One logged-in token. */
    static final class OpenToken {
        final String description;
        final Cryptoki cryptoki;
        final Cryptoki.Slot slot;
        private final String key;
        private final long loginSession;
        private final PinVerifier pinVerifier;
        private final ConcurrentLinkedDeque<Long> idle = new ConcurrentLinkedDeque<>();
        private int references;
        private volatile boolean released;

        private OpenToken(String key, String description, Cryptoki cryptoki, Cryptoki.Slot slot, long loginSession,
                PinVerifier pinVerifier) {
            this.key = key;
            this.description = description;
            this.cryptoki = cryptoki;
            this.slot = slot;
            this.loginSession = loginSession;
            this.pinVerifier = pinVerifier;
        }

        /**
         * Runs {@code work} in a read-only session of its own; the session goes back to the pool
         * afterwards, or is closed when the work failed in PKCS#11 (it may be in an odd state).
         */
        <T> T inSession(SessionWork<T> work) throws Cryptoki.CallFailed, Pkcs11Exception {
            Long pooled = idle.pollFirst();
            long session = pooled != null ? pooled : cryptoki.openSession(slot.id, false);
            boolean keep = false;
            try {
                T result = work.run(session);
                keep = true;
                return result;
            } finally {
                if (keep && !released) {
                    idle.offerFirst(session);
                } else {
                    cryptoki.closeSession(session);
                }
            }
        }

        /** Runs {@code work} in a new read-write session, closed afterwards: for creating objects. */
        <T> T inReadWriteSession(SessionWork<T> work) throws Cryptoki.CallFailed, Pkcs11Exception {
            long session = cryptoki.openSession(slot.id, true);
            try {
                return work.run(session);
            } finally {
                cryptoki.closeSession(session);
            }
        }

        private void closeAll() {
            released = true;
            for (Long session = idle.pollFirst(); session != null; session = idle.pollFirst()) {
                cryptoki.closeSession(session);
            }
            cryptoki.logout(loginSession);
            cryptoki.closeSession(loginSession);
        }
    }

    /**
     * Logs in to the token in {@code slot}, or joins the login another store holds after checking
     * the PIN against the one that logged in. Does not clear {@code pin}.
     */
    static synchronized OpenToken acquire(Cryptoki cryptoki, Cryptoki.Slot slot, char[] pin) throws Pkcs11Exception {
        String key = cryptoki.library() + "#" + slot.id;
        String description = "token " + slot + " of " + cryptoki.library();
        boolean loginRequired = (slot.flags & CKF_LOGIN_REQUIRED) != 0;
        if (pin == null && loginRequired) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.PIN_UNAVAILABLE,
                    description + " requires a user PIN and none was given", null);
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
        long session;
        try {
            session = cryptoki.openSession(slot.id, false);
        } catch (Cryptoki.CallFailed e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                    "cannot open a session with " + description + ": " + e.getMessage(), null);
        }
        if (pin != null) {
            byte[] bytes = utf8(pin);
            long rv;
            try {
                rv = cryptoki.login(session, bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            if (!Cryptoki.loggedIn(rv)) {
                cryptoki.closeSession(session);
                throw loginFailure(description, rv);
            }
        }
        open = new OpenToken(key, description, cryptoki, slot, session, PinVerifier.of(pin));
        open.references = 1;
        OPEN.put(key, open);
        return open;
    }

    /** Gives back one reference; the last one logs the token out and closes its sessions. */
    static synchronized void release(OpenToken token) {
        if (--token.references > 0) {
            return;
        }
        OPEN.remove(token.key, token);
        token.closeAll();
    }

    private static Pkcs11Exception loginFailure(String description, long rv) {
        String name = ReturnValues.name(rv);
        if (rv == ReturnValues.CKR_PIN_LOCKED) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.PIN_LOCKED,
                    "the user PIN of " + description + " is locked (" + name + ")", null);
        }
        if (rv == ReturnValues.CKR_PIN_INCORRECT || rv == ReturnValues.CKR_PIN_LEN_RANGE) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.WRONG_PIN,
                    "wrong PIN for " + description + " (" + name + ")", null);
        }
        if (rv == ReturnValues.CKR_USER_PIN_NOT_INITIALIZED) {
            return new Pkcs11Exception(Pkcs11Exception.Reason.PIN_UNAVAILABLE, "the user PIN of " + description
                    + " has not been set (" + name + ")", null);
        }
        return new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                "cannot log in to " + description + ": C_Login: " + name, null);
    }

    private static byte[] utf8(char[] pin) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
