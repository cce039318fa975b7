package dev.keyward.acme;

import dev.keyward.acme.internal.Json;
import dev.keyward.acme.internal.JsonObject;
import dev.keyward.acme.internal.Jwks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An ACME account (RFC 8555 section 7.1.2) written down so that another machine or client can use
 * it: the CA's directory URL, the account URL (the {@code kid} of section 6.2), the contacts, an
 * optional local name, and the account key in one of three forms ({@link KeyForm}):
 * <ul>
 *   <li>a <b>reference</b> to a key that cannot leave its store (an RFC 7512 {@code pkcs11:} URI, a
 *       {@code kms:} key id): the other side needs access to the same store;</li>
 *   <li>the private key as <b>encrypted</b> PKCS#8 (PBES2 of RFC 8018: AES-256-CBC under a key
 *       derived with PBKDF2-HMAC-SHA256 and 600,000 iterations), opened with
 *       {@link #decryptKey(char[])};</li>
 *   <li><b>not included</b>: the other side must already hold the key; the document names it by its
 *       public JWK so that a wrong key is refused.</li>
 * </ul>
 * The public key (a JWK, RFC 7517) is always included. A private key in clear never is.
 *
 * <p>Immutable. The JSON document ({@link #toJson()}), format version {@value #VERSION}:
 * <pre>{@code
 * {"format": "keyward-account", "version": 1, "name": "prod",
 *  "directory": "https://acme.example/dir", "account": "https://acme.example/acct/1",
 *  "contacts": ["mailto:ops@example.org"],
 *  "key": {"jwk": {...public JWK...},
 *          "reference": "pkcs11:..."  or  "encryptedPkcs8": "-----BEGIN ENCRYPTED PRIVATE KEY-----..."}}
 * }</pre>
 * Nothing here talks to a CA: whoever imports the document checks the account with
 * {@link AcmeClient#findAccount(AcmeSigner)} ({@code onlyReturnExisting}, section 7.3.1).
 */
public final class AccountExport {
    /** The value of the document's {@code format} member. */
    public static final String FORMAT = "keyward-account";
    /** The format version this library writes and reads. */
    public static final int VERSION = 1;
    /** The largest document {@link #read(Path)} reads, in bytes. */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** How the document carries the account key. */
    public enum KeyForm {
        /** A reference (URI) to a key in a token or KMS. */
        REFERENCE,
        /** The private key as encrypted PKCS#8. */
        ENCRYPTED,
        /** Only the public key: the importer supplies the private key. */
        NOT_INCLUDED
    }

    private final URI directoryUrl;
    private final URI accountUrl;
    private final List<String> contacts;
    private final String name;
    private final PublicKey publicKey;
    private final String keyReference;
    private final String encryptedKeyPem;

    private AccountExport(Builder b) {
        this.directoryUrl = b.directoryUrl;
        this.accountUrl = b.accountUrl;
        this.contacts = List.copyOf(b.contacts);
        this.name = b.name;
        this.publicKey = b.publicKey;
        this.keyReference = b.keyReference;
        this.encryptedKeyPem = b.encryptedKeyPem;
    }

    /**
     * A builder with no key yet: set the URLs and one key form.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The CA's directory URL (section 7.1.1).
     *
     * @return the directory URL
     */
    public URI directoryUrl() {
        return directoryUrl;
    }

    /**
     * The account URL (section 7.3).
     *
     * @return the account URL
     */
    public URI accountUrl() {
        return accountUrl;
    }

    /**
     * The account's contact URLs as exported (section 7.1.2); the CA's copy may have changed since.
     *
     * @return the contacts, possibly empty
     */
    public List<String> contacts() {
        return contacts;
    }

    /**
     * The account's local name (a label of this client, unknown to the CA).
     *
     * @return the name, or empty
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * The account's public key, always present.
     *
     * @return the public key
     */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * The SHA-256 JWK thumbprint of the account key (RFC 7638), base64url.
     *
     * @return the thumbprint
     */
    public String keyThumbprint() {
        return Jwks.thumbprint(publicKey);
    }

    /**
     * How the document carries the key.
     *
     * @return the key form
     */
    public KeyForm keyForm() {
        return keyReference != null ? KeyForm.REFERENCE
                : encryptedKeyPem != null ? KeyForm.ENCRYPTED : KeyForm.NOT_INCLUDED;
    }

    /**
     * The key's reference, for {@link KeyForm#REFERENCE}.
     *
     * @return the reference URI as written, or empty for the other forms
     */
    public Optional<String> keyReference() {
        return Optional.ofNullable(keyReference);
    }

    /**
     * Decrypts the account key of a document of form {@link KeyForm#ENCRYPTED}. Slow on purpose:
     * PBKDF2 runs as many iterations as the document says (at most 10,000,000 are accepted).
     *
     * @param passphrase the passphrase; not kept; the caller should clear it afterwards
     * @return the key pair, the private key paired with {@link #publicKey()}
     * @throws AccountFileException {@link AccountFileException.Reason#WRONG_PASSPHRASE} when the
     *     passphrase does not open the key, {@link AccountFileException.Reason#MALFORMED} when the
     *     encrypted key is broken or not the public key's
     * @throws IllegalStateException if the document holds no encrypted key
     */
    public KeyPair decryptKey(char[] passphrase) throws AccountFileException {
        Objects.requireNonNull(passphrase, "passphrase");
        if (encryptedKeyPem == null) {
            throw new IllegalStateException("this account export holds no encrypted key (" + keyForm() + ")");
        }
        return AccountKeys.decrypt(encryptedKeyPem, passphrase, publicKey, "the encrypted account key");
    }

    /**
     * Whether a key is this account's key: its public key equals {@link #publicKey()}.
     *
     * @param key the public key of a signer
     * @return whether it is the account's key
     */
    public boolean isKeyOf(PublicKey key) {
        return key != null && Jwks.thumbprint(key).equals(keyThumbprint());
    }

    /**
     * The JSON document, format version {@value #VERSION}.
     *
     * @return the document, UTF-8 text
     */
    public String toJson() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("jwk", Jwks.toJsonObject(publicKey));
        if (keyReference != null) {
            key.put("reference", keyReference);
        }
        if (encryptedKeyPem != null) {
            key.put("encryptedPkcs8", encryptedKeyPem);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("version", VERSION);
        if (name != null) {
            doc.put("name", name);
        }
        doc.put("directory", directoryUrl.toString());
        doc.put("account", accountUrl.toString());
        doc.put("contacts", contacts);
        doc.put("key", key);
        return Json.write(doc) + "\n";
    }

    /**
     * Writes the document to a new file, readable by its owner alone (mode 0600 on POSIX file
     * systems), all at once (a temporary file linked into place), never over an existing file.
     *
     * @param file the file to create
     * @throws AccountFileException {@link AccountFileException.Reason#EXISTS} when the file exists,
     *     {@link AccountFileException.Reason#IO} when it cannot be written
     */
    public void write(Path file) throws AccountFileException {
        Objects.requireNonNull(file, "file");
        PrivateFiles.writeNew(file, toJson().getBytes(StandardCharsets.UTF_8), "account export");
    }

    /**
     * Reads a document written by {@link #write(Path)}.
     *
     * @param file the file
     * @return the export
     * @throws AccountFileException {@link AccountFileException.Reason#NOT_FOUND} when the file does
     *     not exist, {@link AccountFileException.Reason#IO} when it cannot be read, else as
     *     {@link #parse(String)}
     */
    public static AccountExport read(Path file) throws AccountFileException {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new AccountFileException(AccountFileException.Reason.NOT_FOUND, "account export " + file
                    + " does not exist", e);
        } catch (IOException e) {
            throw new AccountFileException(AccountFileException.Reason.IO, "cannot read account export " + file + ": "
                    + ForeignFiles.ioReason(e), e);
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, "account export " + file
                    + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Parses a document.
     *
     * @param json the JSON text
     * @return the export
     * @throws AccountFileException {@link AccountFileException.Reason#UNSUPPORTED_VERSION} for a
     *     version other than {@value #VERSION}; {@link AccountFileException.Reason#MALFORMED} when it
     *     is not a Keyward account export or a member is missing or malformed
     */
    public static AccountExport parse(String json) throws AccountFileException {
        Objects.requireNonNull(json, "json");
        try {
            JsonObject doc = Json.parseObject(json.getBytes(StandardCharsets.UTF_8), "the account export");
            if (!FORMAT.equals(doc.optString("format").orElse(null))) {
                throw malformed("this is not a Keyward account export (its \"format\" is not \"" + FORMAT + "\")");
            }
            int version = doc.optInt("version").orElseThrow(() -> malformed("the account export has no \"version\""));
            if (version != VERSION) {
                throw new AccountFileException(AccountFileException.Reason.UNSUPPORTED_VERSION,
                        "the account export is of format version " + version + "; this Keyward reads version "
                                + VERSION);
            }
            JsonObject key = doc.optObject("key").orElseThrow(() -> malformed("the account export has no \"key\""));
            JsonObject jwk = key.optObject("jwk").orElseThrow(() -> malformed("the account export's key has no \"jwk\""));
            Builder b = builder()
                    .directoryUrl(url(doc, "directory"))
                    .accountUrl(url(doc, "account"))
                    .contacts(doc.strings("contacts"));
            Optional<String> name = doc.optString("name");
            if (name.isPresent()) {
                if (!isValidName(name.get())) {
                    throw malformed("the account export's \"name\" is not a valid local name");
                }
                b.name(name.get());
            }
            PublicKey publicKey = AccountKeys.readPublicJwk(jwk.toMap(), "the account export's key.jwk");
            Optional<String> reference = key.optString("reference");
            Optional<String> encrypted = key.optString("encryptedPkcs8");
            if (reference.isPresent() && encrypted.isPresent()) {
                throw malformed("the account export's key has both a \"reference\" and an \"encryptedPkcs8\"");
            }
            if (reference.isPresent()) {
                if (!isValidReference(reference.get())) {
                    throw malformed("the account export's key reference is not a URI without a secret");
                }
                b.keyReference(reference.get(), publicKey);
            } else if (encrypted.isPresent()) {
                if (!encrypted.get().startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                    throw malformed("the account export's encryptedPkcs8 is not an ENCRYPTED PRIVATE KEY in PEM");
                }
                b.publicKeyOnly(publicKey);
                b.encryptedKeyPem = encrypted.get();
            } else {
                b.publicKeyOnly(publicKey);
            }
            return b.build();
        } catch (AcmeProtocolException | IllegalArgumentException e) {
            throw new AccountFileException(AccountFileException.Reason.MALFORMED, "the account export is malformed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether a text is a valid local account name: 1 to 64 characters of ASCII letters, digits,
     * {@code .}, {@code _} and {@code -}, not starting with {@code .}, {@code _} or {@code -} (so
     * it is safe as a folder name).
     *
     * @param name the text
     * @return whether it is a valid name
     */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static boolean isValidReference(String reference) {
        int colon = reference.indexOf(':');
        return colon > 1 && reference.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
                && !reference.toLowerCase(Locale.ROOT).contains("pin-value")
                && reference.chars().noneMatch(Character::isISOControl);
    }

    private static URI url(JsonObject doc, String member) throws AccountFileException {
        String text = doc.optString(member).orElseThrow(() -> malformed("the account export has no \"" + member + "\""));
        try {
            URI uri = new URI(text);
            if (!isHttpUrl(uri)) {
                throw malformed("the account export's \"" + member + "\" is not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw malformed("the account export's \"" + member + "\" is not a URL");
        }
    }

    private static boolean isHttpUrl(URI uri) {
        return uri.isAbsolute() && uri.getHost() != null
                && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
    }

    private static AccountFileException malformed(String message) {
        return new AccountFileException(AccountFileException.Reason.MALFORMED, message);
    }

    /** Names the account and the key form; never key material. */
    @Override
    public String toString() {
        return "AccountExport{" + (name == null ? "" : "name=" + name + ", ") + "account=" + accountUrl
                + ", directory=" + directoryUrl + ", key=" + keyForm() + "}";
    }

    /** Builds an {@link AccountExport}; the URLs and one key form are required. Not thread-safe. */
    public static final class Builder {
        private URI directoryUrl;
        private URI accountUrl;
        private List<String> contacts = List.of();
        private String name;
        private PublicKey publicKey;
        private String keyReference;
        private String encryptedKeyPem;

        private Builder() {
        }

        /**
         * Takes the account URL, contacts and public key of an account; the key is then
         * {@link KeyForm#NOT_INCLUDED} until {@link #keyReference} or {@link #encryptedKey} sets it.
         *
         * @param account the account, as the CA last described it
         * @return this builder
         */
        public Builder account(Account account) {
            Objects.requireNonNull(account, "account");
            accountUrl(account.url());
            contacts(account.contacts());
            return publicKeyOnly(account.signer().publicKey());
        }

        /**
         * The CA's directory URL (required).
         *
         * @param url an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder directoryUrl(URI url) {
            this.directoryUrl = requireHttp(url, "directoryUrl");
            return this;
        }

        /**
         * The account URL (required).
         *
         * @param url an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder accountUrl(URI url) {
            this.accountUrl = requireHttp(url, "accountUrl");
            return this;
        }

        /**
         * The contact URLs (default none).
         *
         * @param contacts URLs such as {@code mailto:ops@example.org}
         * @return this builder
         * @throws IllegalArgumentException if a contact holds control characters
         */
        public Builder contacts(List<String> contacts) {
            List<String> copy = new ArrayList<>();
            for (String c : Objects.requireNonNull(contacts, "contacts")) {
                Objects.requireNonNull(c, "contact");
                if (c.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("a contact holds control characters");
                }
                copy.add(c);
            }
            this.contacts = List.copyOf(copy);
            return this;
        }

        /**
         * The local name (default none); see {@link AccountExport#isValidName(String)}.
         *
         * @param name the name, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if the name is not valid
         */
        public Builder name(String name) {
            if (name != null && !isValidName(name)) {
                throw new IllegalArgumentException("a local account name is 1-64 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit");
            }
            this.name = name;
            return this;
        }

        /**
         * Carries the key as a reference to its store ({@link KeyForm#REFERENCE}).
         *
         * @param reference a URI such as {@code pkcs11:token=...;object=...?module-path=...&pin-source=file:PATH}
         *     or {@code kms:alias/acme}; a PKCS#11 URI with {@code pin-value} is refused (a PIN must not
         *     travel in the document)
         * @param publicKey the key's public key
         * @return this builder
         * @throws IllegalArgumentException if the reference is not a URI or carries a PIN
         */
        public Builder keyReference(String reference, PublicKey publicKey) {
            Objects.requireNonNull(reference, "reference");
            if (!isValidReference(reference)) {
                throw new IllegalArgumentException("a key reference is a URI (pkcs11:, kms:) without pin-value");
            }
            publicKeyOnly(publicKey);
            this.keyReference = reference;
            return this;
        }

        /**
         * Carries the private key encrypted ({@link KeyForm#ENCRYPTED}): PKCS#8 with PBES2,
         * AES-256-CBC and PBKDF2-HMAC-SHA256 of 600,000 iterations (RFC 8018), a fresh salt and IV.
         * The encryption runs here, once.
         *
         * @param privateKey the private key; must be extractable (a software key)
         * @param publicKey its public key
         * @param passphrase the passphrase, not empty; not kept
         * @return this builder
         * @throws IllegalArgumentException if the passphrase is empty or the keys do not match
         */
        public Builder encryptedKey(PrivateKey privateKey, PublicKey publicKey, char[] passphrase) {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(passphrase, "passphrase");
            Signers.jca(privateKey, publicKey);
            String pem = AccountKeys.encrypt(privateKey, passphrase);
            publicKeyOnly(publicKey);
            this.encryptedKeyPem = pem;
            return this;
        }

        /**
         * Carries the public key only ({@link KeyForm#NOT_INCLUDED}): the importer supplies the
         * private key.
         *
         * @param publicKey the account's public key (RSA of 2048 bits or more, EC P-256/384/521)
         * @return this builder
         * @throws IllegalArgumentException if Keyward cannot sign with such a key
         */
        public Builder publicKeyOnly(PublicKey publicKey) {
            Objects.requireNonNull(publicKey, "publicKey");
            Signers.algorithmFor(publicKey);
            this.publicKey = publicKey;
            this.keyReference = null;
            this.encryptedKeyPem = null;
            return this;
        }

        /**
         * Builds the export.
         *
         * @return the export
         * @throws IllegalStateException if the directory URL, account URL or key is missing
         */
        public AccountExport build() {
            if (directoryUrl == null || accountUrl == null || publicKey == null) {
                throw new IllegalStateException("an account export needs a directory URL, an account URL and a key");
            }
            return new AccountExport(this);
        }

        private static URI requireHttp(URI url, String what) {
            Objects.requireNonNull(url, what);
            if (!isHttpUrl(url)) {
                throw new IllegalArgumentException(what + " must be an absolute http(s) URL, was " + url);
            }
            return url;
        }
    }
}
