package dev.keyward.acme.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

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
        Optional<Path> workDirectory) {

    /** The prefix of every environment variable Pebble reads; inherited ones are dropped. */
    static final String ENVIRONMENT_PREFIX = "PEBBLE_";

    /** The default binary of Pebble, from the Debian package {@code pebble}. */
    static final Path DEFAULT_PEBBLE = Path.of("/usr/bin/pebble");

    /** The default binary of the challenge test server, from the same Debian package. */
    static final Path DEFAULT_CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");

    PebbleSettings {
        externalAccountMacKeys = Map.copyOf(externalAccountMacKeys);
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
