package dev.keyward.acme;

import dev.keyward.acme.internal.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The {@code dns-account-01} challenge (draft-ietf-acme-dns-account-label, an Internet-Draft that
 * may still change): like {@code dns-01}, but the TXT record's name carries a label derived from
 * the account URL, {@code _<label>._acme-challenge.<domain>}, so several ACME clients with their
 * own accounts can validate one name at the same time without overwriting each other's records.
 * The value is the same digest as dns-01's.
 */
public final class DnsAccount01Challenge extends Challenge {
    /** The challenge type string. */
    public static final String TYPE = "dns-account-01";

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    DnsAccount01Challenge(Login login, Identifier identifier, JsonObject json) {
        super(login, identifier, json);
        if (token().isEmpty()) {
            throw new AcmeProtocolException("dns-account-01 challenge " + url() + " lacks the required field 'token'");
        }
    }

    /**
     * The account label: an underscore and the lower-case base32 (RFC 4648) of the first 10
     * bytes of the SHA-256 digest of the account URL.
     *
     * @param accountUrl the account URL (the {@code Location} of newAccount, RFC 8555 section 7.3)
     * @return for example {@code _ujmmovf2vn55tgye}
     */
    public static String accountLabel(String accountUrl) {
        byte[] digest = sha256(accountUrl.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder("_");
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < 10; i++) {
            buffer = (buffer << 8) | (digest[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }

    /**
     * The name of the TXT record: the account label, {@code ._acme-challenge.} and the domain,
     * without any {@code *.} prefix and without a trailing dot.
     *
     * @return for example {@code _ujmmovf2vn55tgye._acme-challenge.example.org}
     */
    public String recordName() {
        String domain = identifier().value();
        if (domain.startsWith("*.")) {
            domain = domain.substring(2);
        }
        return accountLabel(accountUrl().toString()) + "._acme-challenge." + domain.toLowerCase(Locale.ROOT);
    }

    /**
     * The TXT record value: base64url of the SHA-256 digest of the key authorization, as for
     * dns-01 (RFC 8555 section 8.4).
     *
     * @return the value
     */
    public String txtValue() {
        return dev.keyward.acme.internal.Base64Url.encode(sha256(keyAuthorization().getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
