package dev.keyward.acme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code newAccount} request (RFC 8555 section 7.3), signed with the new key's {@code jwk}.
 * Collects contacts and the terms-of-service agreement; {@link #create()} sends it. When an
 * account already exists for the key, the server returns it and {@link #create()} does too.
 *
 * <p>A request builder, not a snapshot: each method changes this object. Not thread-safe; use
 * once ({@link AcmeClient#newAccount} gives a fresh one).
 */
public final class AccountRequest {
    private final Session session;
    private final AcmeSigner signer;
    private final List<String> contacts = new ArrayList<>();
    private boolean termsOfServiceAgreed;
    private boolean onlyReturnExisting;
    private ExternalAccountBinding externalAccountBinding;

    AccountRequest(Session session, AcmeSigner signer) {
        this.session = session;
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Adds a contact URL (section 7.3), such as {@code mailto:admin@example.com}.
     *
     * @param contact the URL
     * @return this request
     * @throws IllegalArgumentException if it has no scheme
     */
    public AccountRequest contact(String contact) {
        Objects.requireNonNull(contact, "contact");
        if (!contact.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.+")) {
            throw new IllegalArgumentException("contact must be a URL such as mailto:admin@example.com, was: " + contact);
        }
        contacts.add(contact);
        return this;
    }

    /**
     * States that the user agrees to the CA's terms of service
     * ({@link DirectoryMeta#termsOfService()}); many CAs require it (section 7.3).
     *
     * @return this request
     */
    public AccountRequest agreeToTermsOfService() {
        this.termsOfServiceAgreed = true;
        return this;
    }

    /**
     * Only looks up an existing account for the key; the server answers
     * {@code accountDoesNotExist} instead of creating one (section 7.3.1).
     *
     * @return this request
     */
    public AccountRequest onlyReturnExisting() {
        this.onlyReturnExisting = true;
        return this;
    }

    /**
     * Binds the new account to an account at the CA (External Account Binding, section 7.3.4),
     * which CAs with {@link DirectoryMeta#externalAccountRequired()} demand.
     *
     * @param binding the CA's key id and MAC key
     * @return this request
     */
    public AccountRequest externalAccountBinding(ExternalAccountBinding binding) {
        this.externalAccountBinding = Objects.requireNonNull(binding, "binding");
        return this;
    }

    /**
     * Sends the request. One request (plus one {@code newNonce} when no nonce is pooled).
     *
     * @return the new or existing account
     * @throws AcmeException if the server refuses (for example {@code accountDoesNotExist},
     *     {@code externalAccountRequired}) or cannot be reached
     */
    public Account create() throws AcmeException {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (!contacts.isEmpty()) {
            payload.put("contact", List.copyOf(contacts));
        }
        if (termsOfServiceAgreed) {
            payload.put("termsOfServiceAgreed", true);
        }
        if (onlyReturnExisting) {
            payload.put("onlyReturnExisting", true);
        }
        var newAccount = session.directory().newAccount();
        if (externalAccountBinding != null) {
            payload.put("externalAccountBinding", dev.keyward.acme.internal.JwsWriter.externalAccountBinding(
                    externalAccountBinding.algorithm().jcaName(), externalAccountBinding.algorithm().jwsName(),
                    externalAccountBinding.macKey(), externalAccountBinding.keyId(), newAccount, signer.publicKey()));
        }
        Login.Fetched fetched = Login.Fetched.of(
                session.post(newAccount, signer, null, dev.keyward.acme.internal.Json.write(payload), Session.ACCEPT_JSON),
                "newAccount " + newAccount, session.clock().now());
        Login login = new Login(session, signer, fetched.location("newAccount " + newAccount));
        return Account.of(login, fetched.json);
    }
}
