package dev.keyward.acme.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes Pebble's JSON configuration file ({@code {"pebble": {...}}}). */
final class PebbleConfigFile {

    private PebbleConfigFile() {
    }

    /** Writes the configuration for one run to {@code file} and returns {@code file}. */
    static Path write(Path file, PebbleSettings settings, PebblePorts ports, TlsMaterial tls) {
        try {
            return Files.writeString(file, render(settings, ports, tls), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Pebble configuration " + file, e);
        }
    }

    /** The configuration text. */
    static String render(PebbleSettings settings, PebblePorts ports, TlsMaterial tls) {
        String loopback = LoopbackPorts.LOOPBACK.getHostAddress();
        StringBuilder json = new StringBuilder("{\n  \"pebble\": {\n");
        member(json, "listenAddress", Json.quote(loopback + ":" + ports.acme()));
        member(json, "managementListenAddress", Json.quote(loopback + ":" + ports.management()));
        member(json, "certificate", Json.quote(tls.certificateFile().toString()));
        member(json, "privateKey", Json.quote(tls.privateKeyFile().toString()));
        member(json, "httpPort", Integer.toString(ports.http01()));
        member(json, "tlsPort", Integer.toString(ports.tlsAlpn()));
        member(json, "ocspResponderURL", Json.quote(""));
        // Pebble 2.4 reads certificateValidityPeriod; 2.10 ignores it and reads the profiles'.
        settings.certificateValidity().ifPresent(validity ->
                member(json, "certificateValidityPeriod", Long.toString(validity.toSeconds())));
        member(json, "profiles", profiles(settings.effectiveProfiles()));
        settings.retryAfter().ifPresent(retryAfter -> member(json, "retryAfter",
                "{\"authz\": " + retryAfter.authz().toSeconds() + ", \"order\": " + retryAfter.order().toSeconds() + "}"));
        if (!settings.domainBlocklist().isEmpty()) {
            member(json, "domainBlocklist", settings.domainBlocklist().stream().map(Json::quote)
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        if (settings.externalAccountBindingRequired()) {
            member(json, "externalAccountMACKeys", macKeys(settings.externalAccountMacKeys()));
        }
        json.append("    \"externalAccountBindingRequired\": ")
                .append(settings.externalAccountBindingRequired()).append("\n  }\n}\n");
        return json.toString();
    }

    private static void member(StringBuilder json, String name, String value) {
        json.append("    ").append(Json.quote(name)).append(": ").append(value).append(",\n");
    }

    private static String profiles(Map<String, PebbleProfile> profiles) {
        return profiles.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> Json.quote(entry.getKey()) + ": {\"description\": "
                        + Json.quote(entry.getValue().description()) + ", \"validityPeriod\": "
                        + entry.getValue().validityPeriod().toSeconds() + "}")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String macKeys(Map<String, String> keys) {
        return keys.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> Json.quote(entry.getKey()) + ": " + Json.quote(entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
