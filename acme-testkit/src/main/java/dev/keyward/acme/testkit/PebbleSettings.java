package dev.keyward.acme.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The validated, immutable configuration of a {@link PebbleServer}; see {@link PebbleServer.Builder}
 * for the meaning and default of each value.
 */
record PebbleSettings(
        int nonceRejectPercent,
        int authorizationReusePercent,
        boolean vaNoSleep,
        int ordersPerPage,
        OptionalInt chainLength,
        int alternateRoots,
        Map<String, String> externalAccountMacKeys,
        Optional<Duration> certificateValidity,
        Duration startupTimeout,
        Optional<Path> pebbleBinary,
        Optional<Path> challtestsrvBinary,
        Optional<Path> workDirectory,
        Map<String, PebbleProfile> profiles,
        Optional<RetryAfter> retryAfter,
        List<String> domainBlocklist) {

    /** The prefix of every environment variable Pebble reads; inherited ones are dropped. */
    static final String ENVIRONMENT_PREFIX = "PEBBLE_";

    /** The name of the only profile configured unless the builder names others. */
    static final String DEFAULT_PROFILE = "default";

    /** Pebble 2.10's own certificate lifetime: 90 days. */
    static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);

    /** The {@code Retry-After} that Pebble 2.10 sends on pending authorizations and processing orders. */
    record RetryAfter(Duration authz, Duration order) {
    }

    PebbleSettings {
        externalAccountMacKeys = Map.copyOf(externalAccountMacKeys);
        profiles = Collections.unmodifiableMap(new TreeMap<>(profiles));
        domainBlocklist = List.copyOf(domainBlocklist);
    }

    /**
     * The profiles Pebble offers, by name: those of the builder, or else one named
     * {@value #DEFAULT_PROFILE} lasting {@link #certificateValidity()} or 90 days. Pebble 2.10 gives an
     * order without a {@code profile} a random configured profile, so one profile keeps orders alike.
     */
    Map<String, PebbleProfile> effectiveProfiles() {
        if (!profiles.isEmpty()) {
            return profiles;
        }
        return Map.of(DEFAULT_PROFILE, new PebbleProfile("The test kit's only profile",
                certificateValidity.orElse(DEFAULT_VALIDITY)));
    }

    /** Whether accounts must be bound to an external account (RFC 8555 section 7.3.4). */
    boolean externalAccountBindingRequired() {
        return !externalAccountMacKeys.isEmpty();
    }

    /** The {@code PEBBLE_*} variables that configure Pebble's behaviour. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PEBBLE_WFE_NONCEREJECT", Integer.toString(nonceRejectPercent));
        environment.put("PEBBLE_AUTHZREUSE", Integer.toString(authorizationReusePercent));
        if (vaNoSleep) {
            environment.put("PEBBLE_VA_NOSLEEP", "1");
        }
        environment.put("PEBBLE_WFE_ORDERS_PER_PAGE", Integer.toString(ordersPerPage));
        chainLength.ifPresent(length -> environment.put("PEBBLE_CHAIN_LENGTH", Integer.toString(length)));
        environment.put("PEBBLE_ALTERNATE_ROOTS", Integer.toString(alternateRoots));
        return environment;
    }
}
