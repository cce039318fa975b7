package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A logged-in PKCS#11 token (an HSM, a smart card, SoftHSM) whose keys sign ACME requests (RFC 8555
 * section 6.2: every JWS, including account creation, key rollover and revocation) and CSRs (section
 * 7.4) without ever leaving it. Signing goes through the JDK's SunPKCS11 provider.
 *
 * <pre>{@code
 * try (Pkcs11KeyStore token = Pkcs11KeyStore.builder()
 *         .library(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
 *         .tokenLabel("ops")
 *         .pinCallback(() -> readPin())
 *         .open()) {
 *     AcmeSigner accountKey = token.signer("acct");
 *     Account account = client.newAccount(accountKey).agreeToTermsOfService().create();
 * }
 * }</pre>
 *
 * <p>A key is found by its label, the alias under which {@code keytool -genkeypair -storetype PKCS11}
 * stored it: a private key and a certificate with the same {@code CKA_ID}, the certificate giving the
 * public key (the SunPKCS11 key store ignores private keys without one). EC keys on P-256, P-384 and
 * P-521 sign ES256, ES384 and ES512; RSA keys of 2048 bits or more sign RS256.
 *
 * <p>PKCS#11 login state belongs to the whole process, so every store opened on the same token in
 * this JVM shares one SunPKCS11 provider and login: the first {@code open()} logs in, later ones are
 * checked against a salted digest of that PIN, and the last {@link #close()} logs out. Code outside
 * Keyward that logs in to the same token makes the token accept any PIN, which Keyward cannot check.
 *
 * <p>Thread-safe. Signers stay usable until this store is closed; then they fail with
 * {@link Pkcs11Exception.Reason#CLOSED}.
 */
public final class Pkcs11KeyStore implements AutoCloseable {
    private final OpenTokens.OpenToken token;
    private final Path library;
    private final long slotId;
    private final String tokenLabel;
    private volatile boolean closed;

    private Pkcs11KeyStore(OpenTokens.OpenToken token, Path library, long slotId, String tokenLabel) {
        this.token = token;
        this.library = library;
        this.slotId = slotId;
        this.tokenLabel = tokenLabel;
    }

    /**
     * A builder of a store. Required: {@link Builder#library(Path)} and one of
     * {@link Builder#tokenLabel(String)}, {@link Builder#slot(long)} and {@link Builder#slotListIndex(int)}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The PKCS#11 library, with symbolic links resolved.
     *
     * @return the library's real path
     */
    public Path library() {
        return library;
    }

    /**
     * The id of the slot that holds the token.
     *
     * @return the slot id
     */
    public long slotId() {
        return slotId;
    }

    /**
     * The token's label ({@code CK_TOKEN_INFO.label}, trailing blanks removed).
     *
     * @return the label
     */
    public String tokenLabel() {
        return tokenLabel;
    }

    /**
     * The labels of the keys that {@link #signer(String)} can find: private keys with a certificate.
     *
     * @return the labels, sorted
     * @throws Pkcs11Exception if the store is closed or the token fails
     */
    public List<String> keyLabels() throws Pkcs11Exception {
        requireOpen("list keys");
        refresh();
        try {
            List<String> labels = new ArrayList<>();
            for (String alias : Collections.list(token.keyStore.aliases())) {
                if (token.keyStore.isKeyEntry(alias)) {
                    labels.add(alias);
                }
            }
            Collections.sort(labels);
            return List.copyOf(labels);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                    "cannot list the keys of " + token.description + ": " + ReturnValues.describe(e), e);
        }
    }

    /**
     * A signer for the key with this label (the {@code keytool} alias). Checks at once that the key
     * is supported, can sign, and matches its certificate, by signing one probe in the token.
     *
     * @param keyLabel the key's label
     * @return a thread-safe signer whose key stays in the token
     * @throws Pkcs11Exception with {@link Pkcs11Exception.Reason#KEY_NOT_FOUND} when no private key
     *     with a certificate has that label, {@link Pkcs11Exception.Reason#UNSUPPORTED_KEY} for keys
     *     other than RSA 2048+ and EC P-256/P-384/P-521, {@link Pkcs11Exception.Reason#KEY_UNUSABLE}
     *     when the key cannot sign or its certificate does not match, {@link Pkcs11Exception.Reason#CLOSED}
     *     after {@link #close()}
     */
    public AcmeSigner signer(String keyLabel) throws Pkcs11Exception {
        Objects.requireNonNull(keyLabel, "keyLabel");
        requireOpen("find key '" + keyLabel + "'");
        KeyStore keyStore = token.keyStore;
        Key key;
        Certificate certificate;
        try {
            if (!keyStore.isKeyEntry(keyLabel)) {
                refresh();
            }
            key = keyStore.getKey(keyLabel, null);
            certificate = keyStore.getCertificate(keyLabel);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED, "cannot read key '" + keyLabel
                    + "' of " + token.description + ": " + ReturnValues.describe(e), e);
        }
        if (!(key instanceof PrivateKey) || certificate == null) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_NOT_FOUND, "no private key labelled '" + keyLabel
                    + "' with a certificate in " + token.description + "; its keys: " + keyLabels()
                    + " (keys need a certificate with the same CKA_ID, as keytool -genkeypair makes them)", null);
        }
        PublicKey publicKey = certificate.getPublicKey();
        SignatureAlgorithm algorithm;
        try {
            algorithm = Signers.algorithmFor(publicKey);
        } catch (IllegalArgumentException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.UNSUPPORTED_KEY, "key '" + keyLabel + "' in "
                    + token.description + " cannot sign ACME requests: " + e.getMessage(), e);
        }
        Pkcs11Signer signer = new Pkcs11Signer(this, keyLabel, (PrivateKey) key, publicKey, algorithm);
        signer.checkKeyPair();
        return signer;
    }

    /**
     * Gives up this store's share of the token's login: the last store of a token to close logs it
     * out. Signers of this store fail afterwards. Closing twice does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        OpenTokens.release(token);
    }

    @Override
    public String toString() {
        return "Pkcs11KeyStore{" + token.description + (closed ? ", closed" : "") + "}";
    }

    /**
     * Reads the token's objects again: SunPKCS11's key store maps labels when it loads, so keys
     * made since (by keytool in another process, say) are found only after this. The login holds,
     * so no PIN is needed.
     */
    private void refresh() throws Pkcs11Exception {
        try {
            token.keyStore.load(null, null);
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                    "cannot read the objects of " + token.description + ": " + ReturnValues.describe(e), e);
        }
    }

    OpenTokens.OpenToken token() {
        return token;
    }

    void requireOpen(String action) throws Pkcs11Exception {
        if (closed) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.CLOSED,
                    "cannot " + action + ": the key store of " + token.description + " is closed", null);
        }
    }

    /**
     * Configures and opens a {@link Pkcs11KeyStore}. The token is chosen by the last of
     * {@link #tokenLabel(String)}, {@link #slot(long)} and {@link #slotListIndex(int)} called. Not
     * thread-safe.
     */
    public static final class Builder {
        private Path library;
        private TokenSelector selector;
        private char[] pin;
        private PinCallback pinCallback;
        private boolean pinConsumed;

        private Builder() {
        }

        /**
         * The PKCS#11 library (for SoftHSM on Debian, {@code /usr/lib/softhsm/libsofthsm2.so}).
         * Required; checked when {@link #open()} runs.
         *
         * @param library the library file
         * @return this builder
         */
        public Builder library(Path library) {
            this.library = Objects.requireNonNull(library, "library");
            return this;
        }

        /**
         * Chooses the token by its label, found by asking the library for its slots and their
         * tokens, since SunPKCS11 has no such setting and some tokens (SoftHSM's among them) sit in
         * slots whose id changes when a token is created.
         *
         * @param label the token label; trailing blanks are ignored, as PKCS#11 pads labels with them
         * @return this builder
         * @throws IllegalArgumentException if the label is blank or longer than 32 bytes in UTF-8
         */
        public Builder tokenLabel(String label) {
            this.selector = TokenSelector.label(label);
            return this;
        }

        /**
         * Chooses the token by its slot id.
         *
         * @param slotId the slot id
         * @return this builder
         * @throws IllegalArgumentException if the id is negative
         */
        public Builder slot(long slotId) {
            this.selector = TokenSelector.slotId(slotId);
            return this;
        }

        /**
         * Chooses the token by its index in the library's list of all slots ({@code C_GetSlotList}
         * with {@code tokenPresent} false, as SunPKCS11's {@code slotListIndex} means it).
         *
         * @param index the index, from 0
         * @return this builder
         * @throws IllegalArgumentException if the index is negative
         */
        public Builder slotListIndex(int index) {
            this.selector = TokenSelector.slotListIndex(index);
            return this;
        }

        /**
         * The user PIN. The array is copied, so the caller may clear its own at once; the copy is
         * cleared when {@link #open()} is done with it, whatever the outcome, so a second
         * {@code open()} needs the PIN again. Replaces a {@link #pinCallback(PinCallback)}.
         *
         * @param pin the PIN
         * @return this builder
         */
        public Builder pin(char[] pin) {
            Objects.requireNonNull(pin, "pin");
            clearPin();
            this.pin = pin.clone();
            this.pinCallback = null;
            this.pinConsumed = false;
            return this;
        }

        /**
         * Asks for the user PIN when {@link #open()} logs in; the returned array is cleared after
         * use. Replaces a {@link #pin(char[])}. Default: no PIN, for tokens that need no login.
         *
         * @param callback supplies the PIN
         * @return this builder
         */
        public Builder pinCallback(PinCallback callback) {
            Objects.requireNonNull(callback, "callback");
            clearPin();
            this.pinCallback = callback;
            this.pinConsumed = false;
            return this;
        }

        /**
         * Finds the token, logs in (or joins this JVM's login to it after checking the PIN) and
         * returns the store.
         *
         * @return the open store; close it when its signers are no longer needed
         * @throws IllegalStateException if no library or token was chosen, or a PIN given as an array
         *     was used by an earlier {@code open()}
         * @throws Pkcs11Exception with {@link Pkcs11Exception.Reason#LIBRARY_NOT_FOUND},
         *     {@link Pkcs11Exception.Reason#NOT_A_PKCS11_LIBRARY}, {@link Pkcs11Exception.Reason#LIBRARY_FAILED},
         *     {@link Pkcs11Exception.Reason#TOKEN_NOT_FOUND}, {@link Pkcs11Exception.Reason#TOKEN_AMBIGUOUS},
         *     {@link Pkcs11Exception.Reason#WRONG_PIN}, {@link Pkcs11Exception.Reason#PIN_LOCKED} or
         *     {@link Pkcs11Exception.Reason#PIN_UNAVAILABLE}
         */
        public Pkcs11KeyStore open() throws Pkcs11Exception {
            if (library == null) {
                throw new IllegalStateException("set the PKCS#11 library with library(Path)");
            }
            if (selector == null) {
                throw new IllegalStateException("choose the token with tokenLabel(String), slot(long) or slotListIndex(int)");
            }
            if (pinConsumed) {
                throw new IllegalStateException("the PIN given to pin(char[]) was cleared by an earlier open();"
                        + " give it again, or use pinCallback(...)");
            }
            char[] secret = null;
            try {
                Path realLibrary = realPath(library);
                Cryptoki cryptoki = Cryptoki.load(realLibrary);
                Cryptoki.Slot slot = selector.select(cryptoki.slots(), realLibrary);
                secret = takePin(slot, realLibrary);
                OpenTokens.OpenToken open = OpenTokens.acquire(realLibrary, slot, secret);
                return new Pkcs11KeyStore(open, realLibrary, slot.id, slot.label);
            } finally {
                if (secret != null) {
                    Arrays.fill(secret, '\0');
                }
                if (pin != null) {
                    clearPin();
                    pinConsumed = true;
                }
            }
        }

        private char[] takePin(Cryptoki.Slot slot, Path realLibrary) throws Pkcs11Exception {
            if (pin != null) {
                char[] taken = pin;
                pin = null;
                pinConsumed = true;
                return taken;
            }
            if (pinCallback == null) {
                return null;
            }
            try {
                char[] supplied = pinCallback.pin();
                if (supplied == null) {
                    throw new IOException("the PIN callback returned null");
                }
                return supplied;
            } catch (IOException | RuntimeException e) {
                throw new Pkcs11Exception(Pkcs11Exception.Reason.PIN_UNAVAILABLE, "no PIN for token " + slot + " of "
                        + realLibrary + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }

        private void clearPin() {
            if (pin != null) {
                Arrays.fill(pin, '\0');
                pin = null;
            }
        }

        private static Path realPath(Path library) throws Pkcs11Exception {
            if (!Files.isRegularFile(library)) {
                throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_NOT_FOUND, "PKCS#11 library " + library
                        + " does not exist" + (Files.exists(library) ? " as a regular file" : ""), null);
            }
            try {
                return library.toRealPath();
            } catch (IOException e) {
                throw new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_NOT_FOUND,
                        "cannot resolve PKCS#11 library " + library + ": " + e.getClass().getSimpleName(), e);
            }
        }
    }
}
