package dev.keyward.acme.testkit;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys and aliases of a {@link KmsEmulator}, and which keys deny access. Resolves the four ways
 * KMS lets a request name a key: key id, key ARN, alias name and alias ARN. Thread-safe.
 */
final class KmsKeyring {

    private final String region;
    private final String accountId;
    private final Map<String, EmulatedKmsKey> keys = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();

    KmsKeyring(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    String region() {
        return region;
    }

    EmulatedKmsKey create(KmsEmulator.KeySpec spec, KmsEmulator.KeyUsage usage) {
        String keyId = UUID.randomUUID().toString();
        EmulatedKmsKey key = EmulatedKmsKey.generate(keyId, arnPrefix() + "key/" + keyId, spec, usage);
        keys.put(keyId, key);
        return key;
    }

    /** Points {@code aliasName} at the key and returns the alias ARN. */
    String alias(String aliasName, String keyId) {
        existing(keyId);
        aliases.put(aliasName, keyId);
        return arnPrefix() + aliasName;
    }

    /** The key with this id; the caller passes ids it got from this keyring. */
    EmulatedKmsKey existing(String keyId) {
        EmulatedKmsKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no key " + keyId + " in this emulator");
        }
        return key;
    }

    void deny(String keyId, boolean deny) {
        if (deny) {
            denied.add(keyId);
        } else {
            denied.remove(keyId);
        }
    }

    boolean isDenied(EmulatedKmsKey key) {
        return denied.contains(key.keyId());
    }

    /** The key a request's {@code KeyId} names, or empty as KMS's {@code NotFoundException}. */
    Optional<EmulatedKmsKey> resolve(String identifier) {
        String name = identifier;
        if (name.startsWith("arn:")) {
            if (!name.startsWith(arnPrefix())) {
                return Optional.empty();
            }
            name = name.substring(arnPrefix().length());
            if (name.startsWith("key/")) {
                name = name.substring("key/".length());
            } else if (!name.startsWith("alias/")) {
                return Optional.empty();
            }
        }
        if (name.startsWith("alias/")) {
            name = aliases.get(name);
            if (name == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(keys.get(name));
    }

    private String arnPrefix() {
        return "arn:aws:kms:" + region + ":" + accountId + ":";
    }
}
