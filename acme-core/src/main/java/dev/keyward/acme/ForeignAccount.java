package dev.keyward.acme;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An ACME account (RFC 8555 section 7.1.2) found in the files of another client, to be used by
 * Keyward: its account URL, key, contacts and (when the client records it) the CA's directory
 * URL. Immutable. Reading the files talks to no CA: check the account with
 * {@link AcmeClient#findAccount(AcmeSigner)} ({@code onlyReturnExisting}, section 7.3.1) before
 * relying on it.
 *
 * <p>Two clients are read:
 * <ul>
 *   <li><b>certbot</b> ({@link #fromCertbot}): {@code CONFIG_DIR/accounts/<host[:port]>/<path>/<id>/}
 *       with {@code private_key.json} (the key as a private JWK), {@code regr.json} (the account URL
 *       as {@code uri}) and {@code meta.json}; the folder names give the directory URL
 *       ({@code https://<host[:port]>/<path>});</li>
 *   <li><b>lego</b> ({@link #fromLego}): {@code LEGO_PATH/accounts/<host>_<port>/<email>/account.json}
 *       (the account URL as {@code registration.uri}, the contacts as {@code registration.body.contact})
 *       and {@code keys/<email>.key} (PEM); lego records only the CA's host and port, so the
 *       directory URL is not known.</li>
 * </ul>
 */
public final class ForeignAccount {
    /** The client whose files an account was read from. */
    public enum Source {
        /** certbot (EFF), 1.x and 2.x layouts. */
        CERTBOT,
        /** lego (go-acme), 4.x layout. */
        LEGO
    }

    private final Source source;
    private final String id;
    private final URI directoryUrl;
    private final URI accountUrl;
    private final List<String> contacts;
    private final KeyPair keyPair;

    ForeignAccount(Source source, String id, URI directoryUrl, URI accountUrl, List<String> contacts, KeyPair keyPair) {
        this.source = source;
        this.id = id;
        this.directoryUrl = directoryUrl;
        this.accountUrl = accountUrl;
        this.contacts = List.copyOf(contacts);
        this.keyPair = keyPair;
    }

    /**
     * Reads an account of certbot.
     *
     * @param configDir certbot's configuration folder ({@code --config-dir}, by default {@code /etc/letsencrypt})
     * @param directory the CA's directory URL to pick the account of, or {@code null} for any CA
     * @param accountId certbot's account id (the account's folder name), or {@code null} when only
     *     one account matches
     * @return the account
     * @throws AccountFileException {@link AccountFileException.Reason#NOT_FOUND} when no account
     *     matches, {@link AccountFileException.Reason#AMBIGUOUS} when several do (the message lists
     *     their ids), {@link AccountFileException.Reason#MALFORMED} when its files are broken,
     *     {@link AccountFileException.Reason#IO} when they cannot be read
     */
    public static ForeignAccount fromCertbot(Path configDir, URI directory, String accountId)
            throws AccountFileException {
        return CertbotAccounts.read(Objects.requireNonNull(configDir, "configDir"), directory, accountId);
    }

    /**
     * Reads an account of lego.
     *
     * @param legoPath lego's {@code --path} folder (by default {@code ./.lego})
     * @param directory the CA's directory URL, whose host and port pick the account, or {@code null}
     *     for any CA
     * @param email the account's e-mail (its folder name), or {@code null} when only one account matches
     * @return the account, without a directory URL
     * @throws AccountFileException as {@link #fromCertbot}
     */
    public static ForeignAccount fromLego(Path legoPath, URI directory, String email) throws AccountFileException {
        return LegoAccounts.read(Objects.requireNonNull(legoPath, "legoPath"), directory, email);
    }

    /**
     * The client the account was read from.
     *
     * @return the source
     */
    public Source source() {
        return source;
    }

    /**
     * The account's name in that client: certbot's account id, lego's e-mail folder.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The CA's directory URL, when the client recorded it (certbot does, lego does not).
     *
     * @return the directory URL, or empty
     */
    public Optional<URI> directoryUrl() {
        return Optional.ofNullable(directoryUrl);
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
     * The contacts the client recorded (certbot records none; ask the CA).
     *
     * @return the contacts, possibly empty
     */
    public List<String> contacts() {
        return contacts;
    }

    /**
     * The account key. Keyward keeps no copy; write it where it belongs and drop it.
     *
     * @return the key pair
     */
    public KeyPair keyPair() {
        return keyPair;
    }

    /**
     * A signer of the account key.
     *
     * @return the signer
     */
    public AcmeSigner signer() {
        return Signers.jca(keyPair.getPrivate(), keyPair.getPublic());
    }

    /** Names the source and account; never key material. */
    @Override
    public String toString() {
        return "ForeignAccount{" + source + " " + id + ", account=" + accountUrl + "}";
    }
}
