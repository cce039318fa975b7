package dev.keyward.acme.internal;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.ProviderException;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in words why a key, a signature or a provider failed, for messages that reach a user: never
 * a Java class name, and never the provider's own text (which could echo key or token details),
 * except a PKCS#11 return code such as {@code CKR_DEVICE_REMOVED} (PKCS#11 section 5.1), which
 * names the token's answer and nothing secret.
 */
public final class Failures {
    private static final Pattern PKCS11_CODE = Pattern.compile("\\bCKR_[A-Z0-9_]{2,60}\\b");

    private Failures() {
    }

    /**
     * Words for a cryptographic failure.
     *
     * @param failure the exception (its causes are searched too)
     * @return a short phrase, for example {@code "the token answered CKR_DEVICE_REMOVED"}
     */
    public static String crypto(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                Matcher code = PKCS11_CODE.matcher(message);
                if (code.find()) {
                    return "the token answered " + code.group();
                }
            }
        }
        if (failure instanceof InvalidKeyException || failure instanceof InvalidKeySpecException) {
            return "the key cannot be used for this algorithm";
        }
        if (failure instanceof NoSuchAlgorithmException || failure instanceof NoSuchProviderException) {
            return "the algorithm is not available in this Java runtime or provider";
        }
        if (failure instanceof SignatureException) {
            return "the signature could not be made or checked";
        }
        if (failure instanceof ProviderException) {
            return "the key's provider failed";
        }
        if (failure instanceof java.io.IOException) {
            return "the data could not be read";
        }
        return "an internal error without a reason given";
    }
}
