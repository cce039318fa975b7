package dev.keyward.acme.pkcs11;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.SignatureAlgorithm;
import dev.keyward.acme.Signers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A logged-in PKCS#11 token (an HSM, a smart card, SoftHSM, openCryptoki) whose keys sign ACME
 * requests (RFC 8555 section 6.2: every JWS, including account creation, key rollover and revocation)
 * and CSRs (section 7.4) without ever leaving it. Keyward speaks Cryptoki to the module itself: it
 * finds the key, signs in the token and can generate keys there.
 *
 * <pre>{@code
 * try (Pkcs11KeyStore token = Pkcs11KeyStore.builder()
 *         .library(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
 *         .tokenLabel("ops")
 *         .pinCallback(() -> readPin())
 *         .open()) {
 *     AcmeSigner accountKey = token.generateKeyPair("acct", Pkcs11KeyType.EC_P256); // once
 *     AcmeSigner sameKey = token.signer("acct");                                   // later runs
 *     Account account = client.newAccount(sameKey).agreeToTermsOfService().create();
 * }
 * }</pre>
 *
 * <p>A key is named as RFC 7512 names it: by the private key's {@code CKA_LABEL} ({@code object=}),
 * its {@code CKA_ID} ({@code id=}), or both. The public key comes from the public key object with the
 * same {@code CKA_ID} (or label), else from a certificate with the same {@code CKA_ID}, else, for
 * RSA, from the private key's own modulus and exponent; no certificate is needed. Keys made by the
 * former {@code keytool -genkeypair -storetype PKCS11} recipe have no label on the private key, but
 * their {@code CKA_ID} is the keytool alias in UTF-8: name them with {@link #signerById(byte[])}. EC
 * keys on P-256, P-384 and P-521 sign ES256, ES384 and ES512 ({@code CKM_ECDSA} over a digest made in
 * Java); RSA keys of 2048 bits or more sign RS256 ({@code CKM_SHA256_RSA_PKCS}, or {@code CKM_RSA_PKCS}
 * over a DigestInfo where the token lacks it).
 *
 * <p>PKCS#11 login state belongs to the whole process, so every store opened on the same token in
 * this JVM shares one login: the first {@code open()} logs in, later ones are checked against a
 * salted digest of that PIN, and the last {@link #close()} logs out. Code outside Keyward that logs
 * in to the same token makes the token accept any PIN, which Keyward cannot check.
 *
 * <p>Thread-safe: each signature takes a Cryptoki session of its own from a small pool. Signers stay
 * usable until this store is closed; then they fail with {@link Pkcs11Exception.Reason#CLOSED}.
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
     * The labels ({@code CKA_LABEL}) of the token's private keys; keys without a label are left out.
     *
     * @return the labels, sorted
     * @throws Pkcs11Exception if the store is closed or the token fails
     */
    public List<String> keyLabels() throws Pkcs11Exception {
        requireOpen("list keys");
        List<String> labels = new ArrayList<>();
        for (KeyName name : privateKeyNames()) {
            if (name.label != null && !name.label.isEmpty()) {
                labels.add(name.label);
            }
        }
        Collections.sort(labels);
        return List.copyOf(labels);
    }

    /**
     * A signer for the private key with this {@code CKA_LABEL} (RFC 7512 {@code object=}). Checks at
     * once that the key is supported and can sign, by signing one probe in the token.
     *
     * @param keyLabel the private key's label
     * @return a thread-safe signer whose key stays in the token
     * @throws Pkcs11Exception with {@link Pkcs11Exception.Reason#KEY_NOT_FOUND} when no private key
     *     has that label, {@link Pkcs11Exception.Reason#KEY_AMBIGUOUS} when several have it,
     *     {@link Pkcs11Exception.Reason#UNSUPPORTED_KEY} for keys other than RSA 2048+ and EC
     *     P-256/P-384/P-521 or a token without the signing mechanism,
     *     {@link Pkcs11Exception.Reason#KEY_UNUSABLE} when the key cannot sign or no public key is
     *     found for it, {@link Pkcs11Exception.Reason#CLOSED} after {@link #close()}
     */
    public AcmeSigner signer(String keyLabel) throws Pkcs11Exception {
        Objects.requireNonNull(keyLabel, "keyLabel");
        return signer(keyLabel, null);
    }

    /**
     * A signer for the private key with this {@code CKA_ID} (RFC 7512 {@code id=}); see
     * {@link #signer(String)}.
     *
     * @param keyId the private key's id, as bytes
     * @return a thread-safe signer whose key stays in the token
     * @throws Pkcs11Exception as {@link #signer(String)}
     */
    public AcmeSigner signerById(byte[] keyId) throws Pkcs11Exception {
        Objects.requireNonNull(keyId, "keyId");
        return signer(null, keyId);
    }

    /**
     * A signer for the private key with this {@code CKA_LABEL} and this {@code CKA_ID}; either may be
     * {@code null}, not both. See {@link #signer(String)}.
     *
     * @param keyLabel the private key's label, or {@code null}
     * @param keyId the private key's id, or {@code null}
     * @return a thread-safe signer whose key stays in the token
     * @throws IllegalArgumentException if both are {@code null}
     * @throws Pkcs11Exception as {@link #signer(String)}
     */
    public AcmeSigner signer(String keyLabel, byte[] keyId) throws Pkcs11Exception {
        KeyName name = KeyName.of(keyLabel, keyId);
        requireOpen("find " + name);
        long privateKey = findPrivateKey(name);
        return newSigner(name, privateKey, null);
    }

    /**
     * Generates a key pair inside the token and returns its signer. The private key is a token object
     * ({@code CKA_TOKEN}) usable only after login ({@code CKA_PRIVATE}), {@code CKA_SENSITIVE} and not
     * {@code CKA_EXTRACTABLE}, so it never leaves the token; the public key is a token object with
     * the same label and a fresh random {@code CKA_ID}, from which later runs read the public key.
     *
     * @param keyLabel the label of both keys (RFC 7512 {@code object=}); no private key may have it yet
     * @param type the key type
     * @return the new key's signer
     * @throws IllegalArgumentException if the label is empty
     * @throws Pkcs11Exception with {@link Pkcs11Exception.Reason#KEY_EXISTS} when a private key has the
     *     label already, {@link Pkcs11Exception.Reason#UNSUPPORTED_KEY} when the token lacks the
     *     mechanism, {@link Pkcs11Exception.Reason#KEY_GENERATION_FAILED} when the token refuses,
     *     {@link Pkcs11Exception.Reason#CLOSED} after {@link #close()}
     */
    public AcmeSigner generateKeyPair(String keyLabel, Pkcs11KeyType type) throws Pkcs11Exception {
        Objects.requireNonNull(keyLabel, "keyLabel");
        Objects.requireNonNull(type, "type");
        if (keyLabel.isEmpty()) {
            throw new IllegalArgumentException("a key label must not be empty");
        }
        KeyName name = KeyName.of(keyLabel, null);
        requireOpen("generate " + name);
        if (findPrivateKeys(name).length > 0) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_EXISTS, "a private key labelled '" + keyLabel
                    + "' exists already in " + token.description + "; choose another label", null);
        }
        long mechanism = type.isEc() ? Ck.CKM_EC_KEY_PAIR_GEN : Ck.CKM_RSA_PKCS_KEY_PAIR_GEN;
        requireMechanism(mechanism, type + " keys");
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        Template publicTemplate = new Template()
                .add(Ck.CKA_TOKEN, true).add(Ck.CKA_PRIVATE, false).add(Ck.CKA_VERIFY, true)
                .add(Ck.CKA_LABEL, keyLabel).add(Ck.CKA_ID, id);
        if (type.isEc()) {
            publicTemplate.add(Ck.CKA_EC_PARAMS, PublicKeys.curveOid(type.curve()));
        } else {
            publicTemplate.add(Ck.CKA_MODULUS_BITS, (long) type.modulusBits())
                    .add(Ck.CKA_PUBLIC_EXPONENT, new byte[] {0x01, 0x00, 0x01});
        }
        Template privateTemplate = new Template()
                .add(Ck.CKA_TOKEN, true).add(Ck.CKA_PRIVATE, true).add(Ck.CKA_SENSITIVE, true)
                .add(Ck.CKA_EXTRACTABLE, false).add(Ck.CKA_SIGN, true)
                .add(Ck.CKA_LABEL, keyLabel).add(Ck.CKA_ID, id);
        long[] handles;
        try {
            handles = token.inReadWriteSession(
                    session -> token.cryptoki.generateKeyPair(session, mechanism, publicTemplate, privateTemplate));
        } catch (Cryptoki.CallFailed e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_GENERATION_FAILED, "cannot generate a " + type
                    + " key pair labelled '" + keyLabel + "' in " + token.description + ": " + e.getMessage(), null);
        }
        return newSigner(name, handles[1], handles[0]);
    }

    /**
     * The {@code CKA_ID} of the private key with this label (RFC 7512 {@code id=}).
     *
     * @param keyLabel the private key's label
     * @return its id; empty when it has none
     * @throws Pkcs11Exception as {@link #signer(String)} when the key is not found
     */
    public byte[] keyId(String keyLabel) throws Pkcs11Exception {
        KeyName name = KeyName.of(Objects.requireNonNull(keyLabel, "keyLabel"), null);
        requireOpen("read " + name);
        long key = findPrivateKey(name);
        try {
            byte[] id = token.inSession(session -> token.cryptoki.attribute(session, key, Ck.CKA_ID));
            return id == null ? new byte[0] : id;
        } catch (Cryptoki.CallFailed e) {
            throw tokenFailed("cannot read the id of " + name, e);
        }
    }

    /**
     * How the private key with this label is protected, as the token reports it.
     *
     * @param keyLabel the private key's label
     * @return its protection attributes
     * @throws Pkcs11Exception as {@link #signer(String)} when the key is not found
     */
    public Pkcs11KeyProtection keyProtection(String keyLabel) throws Pkcs11Exception {
        KeyName name = KeyName.of(Objects.requireNonNull(keyLabel, "keyLabel"), null);
        requireOpen("read " + name);
        long key = findPrivateKey(name);
        try {
            return token.inSession(session -> {
                Cryptoki c = token.cryptoki;
                return new Pkcs11KeyProtection(
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_TOKEN)),
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_PRIVATE)),
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_SENSITIVE)),
                        !Boolean.FALSE.equals(c.booleanAttribute(session, key, Ck.CKA_EXTRACTABLE)),
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_ALWAYS_SENSITIVE)),
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_NEVER_EXTRACTABLE)),
                        isTrue(c.booleanAttribute(session, key, Ck.CKA_LOCAL)));
            });
        } catch (Cryptoki.CallFailed e) {
            throw tokenFailed("cannot read the attributes of " + name, e);
        }
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

    OpenTokens.OpenToken token() {
        return token;
    }

    void requireOpen(String action) throws Pkcs11Exception {
        if (closed) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.CLOSED,
                    "cannot " + action + ": the key store of " + token.description + " is closed", null);
        }
    }

    Pkcs11Exception tokenFailed(String what, Cryptoki.CallFailed e) {
        return new Pkcs11Exception(Pkcs11Exception.Reason.LIBRARY_FAILED,
                what + " in " + token.description + ": " + e.getMessage(), null);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private long findPrivateKey(KeyName name) throws Pkcs11Exception {
        long[] keys = findPrivateKeys(name);
        if (keys.length == 0) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_NOT_FOUND, "no private key " + name.describe()
                    + " in " + token.description + "; its private keys: " + privateKeyNames().stream().map(KeyName::uriPath)
                    .collect(Collectors.joining(", ", "[", "]"))
                    + " (RFC 7512: object= is the private key's CKA_LABEL, id= its CKA_ID)", null);
        }
        if (keys.length > 1) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_AMBIGUOUS, keys.length + " private keys are "
                    + name.describe() + " in " + token.description + "; name one with both object= and id=", null);
        }
        return keys[0];
    }

    private long[] findPrivateKeys(KeyName name) throws Pkcs11Exception {
        try {
            return token.inSession(session -> token.cryptoki.findObjects(session, name.template(Ck.CKO_PRIVATE_KEY)));
        } catch (Cryptoki.CallFailed e) {
            throw tokenFailed("cannot look for " + name, e);
        }
    }

    private List<KeyName> privateKeyNames() throws Pkcs11Exception {
        try {
            return token.inSession(session -> {
                List<KeyName> names = new ArrayList<>();
                Template all = new Template().add(Ck.CKA_CLASS, Ck.CKO_PRIVATE_KEY);
                for (long key : token.cryptoki.findObjects(session, all)) {
                    byte[] label = token.cryptoki.attribute(session, key, Ck.CKA_LABEL);
                    byte[] id = token.cryptoki.attribute(session, key, Ck.CKA_ID);
                    names.add(KeyName.found(label == null ? null : new String(label, StandardCharsets.UTF_8), id));
                }
                names.sort(Comparator.comparing(KeyName::uriPath));
                return names;
            });
        } catch (Cryptoki.CallFailed e) {
            throw tokenFailed("cannot list the private keys", e);
        }
    }

    /** The signer of a private key, its public key read from the token; checked with a probe. */
    private AcmeSigner newSigner(KeyName name, long privateKey, Long publicKeyHandle) throws Pkcs11Exception {
        PublicKey publicKey;
        try {
            publicKey = token.inSession(session -> publicKey(session, name, privateKey, publicKeyHandle));
        } catch (Cryptoki.CallFailed e) {
            throw tokenFailed("cannot read the public key of " + name, e);
        }
        SignatureAlgorithm algorithm;
        try {
            algorithm = Signers.algorithmFor(publicKey);
        } catch (IllegalArgumentException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.UNSUPPORTED_KEY, name + " in " + token.description
                    + " cannot sign ACME requests: " + e.getMessage(), e);
        }
        long mechanism;
        if (algorithm.isEcdsa()) {
            mechanism = requireMechanism(Ck.CKM_ECDSA, algorithm.jwsName() + " signatures with " + name);
        } else {
            mechanism = offers(Ck.CKM_SHA256_RSA_PKCS) ? Ck.CKM_SHA256_RSA_PKCS
                    : requireMechanism(Ck.CKM_RSA_PKCS, algorithm.jwsName() + " signatures with " + name
                            + " (nor does it offer CKM_SHA256_RSA_PKCS)");
        }
        Pkcs11Signer signer = new Pkcs11Signer(this, name.toString(), privateKey, publicKey, algorithm, mechanism);
        signer.checkKeyPair();
        return signer;
    }

    private PublicKey publicKey(long session, KeyName name, long privateKey, Long publicKeyHandle)
            throws Cryptoki.CallFailed, Pkcs11Exception {
        Cryptoki c = token.cryptoki;
        Long keyType = c.ulongAttribute(session, privateKey, Ck.CKA_KEY_TYPE);
        byte[] id = c.attribute(session, privateKey, Ck.CKA_ID);
        byte[] label = c.attribute(session, privateKey, Ck.CKA_LABEL);
        List<Long> publicKeys = new ArrayList<>();
        if (publicKeyHandle != null) {
            publicKeys.add(publicKeyHandle);
        } else if (id != null && id.length > 0) {
            for (long handle : c.findObjects(session, new Template().add(Ck.CKA_CLASS, Ck.CKO_PUBLIC_KEY)
                    .add(Ck.CKA_ID, id))) {
                publicKeys.add(handle);
            }
        }
        if (publicKeys.isEmpty() && label != null && label.length > 0) {
            for (long handle : c.findObjects(session, new Template().add(Ck.CKA_CLASS, Ck.CKO_PUBLIC_KEY)
                    .add(Ck.CKA_LABEL, label))) {
                publicKeys.add(handle);
            }
        }
        try {
            if (publicKeys.size() == 1) {
                long handle = publicKeys.get(0);
                Long publicType = c.ulongAttribute(session, handle, Ck.CKA_KEY_TYPE);
                if (publicType != null && publicType == Ck.CKK_EC) {
                    byte[] params = c.attribute(session, handle, Ck.CKA_EC_PARAMS);
                    byte[] point = c.attribute(session, handle, Ck.CKA_EC_POINT);
                    if (params != null && point != null) {
                        return PublicKeys.ec(params, point);
                    }
                } else if (publicType != null && publicType == Ck.CKK_RSA) {
                    byte[] modulus = c.attribute(session, handle, Ck.CKA_MODULUS);
                    byte[] exponent = c.attribute(session, handle, Ck.CKA_PUBLIC_EXPONENT);
                    if (modulus != null && exponent != null) {
                        return PublicKeys.rsa(modulus, exponent);
                    }
                }
            }
            if (id != null && id.length > 0) {
                long[] certificates = c.findObjects(session, new Template().add(Ck.CKA_CLASS, Ck.CKO_CERTIFICATE)
                        .add(Ck.CKA_CERTIFICATE_TYPE, Ck.CKC_X_509).add(Ck.CKA_ID, id));
                if (certificates.length == 1) {
                    byte[] der = c.attribute(session, certificates[0], Ck.CKA_VALUE);
                    if (der != null) {
                        return CertificateFactory.getInstance("X.509")
                                .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                    }
                }
            }
            if (keyType != null && keyType == Ck.CKK_RSA) {
                byte[] modulus = c.attribute(session, privateKey, Ck.CKA_MODULUS);
                byte[] exponent = c.attribute(session, privateKey, Ck.CKA_PUBLIC_EXPONENT);
                if (modulus != null && exponent != null) {
                    return PublicKeys.rsa(modulus, exponent);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, "the public key of " + name + " in "
                    + token.description + " cannot be decoded: " + e.getMessage(), e);
        }
        if (keyType != null && keyType == Ck.CKK_DSA) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.UNSUPPORTED_KEY, name + " in " + token.description
                    + " cannot sign ACME requests: unsupported key type DSA", null);
        }
        throw new Pkcs11Exception(Pkcs11Exception.Reason.KEY_UNUSABLE, "no public key found for " + name + " in "
                + token.description + ": Keyward looks for a public key object with the same CKA_ID or CKA_LABEL,"
                + " then an X.509 certificate with the same CKA_ID", null);
    }

    /** Whether the token offers a mechanism; when it cannot say, it is assumed to. */
    private boolean offers(long mechanism) {
        try {
            long[] mechanisms = token.cryptoki.mechanisms(slotId);
            return Arrays.stream(mechanisms).anyMatch(m -> m == mechanism);
        } catch (Cryptoki.CallFailed e) {
            return true;
        }
    }

    private long requireMechanism(long mechanism, String neededFor) throws Pkcs11Exception {
        if (!offers(mechanism)) {
            throw new Pkcs11Exception(Pkcs11Exception.Reason.UNSUPPORTED_KEY, token.description
                    + " does not offer the mechanism " + Ck.mechanismName(mechanism) + " (C_GetMechanismList),"
                    + " needed for " + neededFor, null);
        }
        return mechanism;
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
         * tokens, since some tokens (SoftHSM's among them) sit in
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
                OpenTokens.OpenToken open = OpenTokens.acquire(cryptoki, slot, secret);
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
