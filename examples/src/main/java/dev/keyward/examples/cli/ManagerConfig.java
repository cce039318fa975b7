package dev.keyward.examples.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML config file of {@code renew} and {@code run}, read with Jackson's YAML parser and checked
 * key by key: an unknown key, a missing required key or a value of the wrong kind is a
 * {@link ConfigFileException} whose message names the key ({@code certificates[0].http01-port}).
 * Relative paths are resolved against the config file's directory. The keys are documented in the
 * README ("The renew and run commands").
 */
record ManagerConfig(Path file, Path state, Map<String, Ca> cas, List<Cert> certificates, String hook,
                     Duration hookTimeout, Duration renewalInfoInterval) {

    /** The CA named by the top-level keys, used by certificates without {@code ca}. */
    static final String DEFAULT_CA = "default";

    /** One CA: directory URL, extra trust anchors, account key or named account, contacts. */
    record Ca(String name, URI directory, List<Path> trust, Optional<String> accountKey, Optional<String> account,
              List<String> contacts, boolean insecureHttp, Duration issuanceTimeout) {
    }

    /** One certificate set. */
    record Cert(String key, String name, String ca, List<String> domains, List<String> ips, Path out,
                Integer http01Port, Integer tlsAlpn01Port, URI dns01Challtestsrv, Optional<String> profile,
                Optional<String> preferredChain, Optional<String> certificateKey, KeyType keyType,
                Optional<String> hook) {
    }

    private static final Set<String> CA_KEYS = Set.of("directory", "trust", "account-key", "account", "contact",
            "insecure-http", "issuance-timeout");
    private static final Set<String> TOP_KEYS;
    private static final Set<String> CERT_KEYS = Set.of("name", "ca", "domains", "ips", "out", "http01-port",
            "tlsalpn01-port", "dns01-challtestsrv", "profile", "preferred-chain", "key", "key-type", "hook");
    private static final Pattern SET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    static {
        Set<String> top = new LinkedHashSet<>(CA_KEYS);
        top.addAll(List.of("cas", "state", "certificates", "hook", "hook-timeout", "renewal-info-interval"));
        TOP_KEYS = Set.copyOf(top);
    }

    /** Reads and checks the file. */
    static ManagerConfig read(Path file) throws ConfigFileException {
        JsonNode root;
        try {
            String text = Files.readString(file);
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JacksonException e) {
            throw new ConfigFileException("--config " + file + ": not valid YAML: "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigFileException("--config " + file + ": cannot read the file ("
                    + IoWords.reason(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigFileException("--config " + file + ": the file must hold a YAML mapping of keys");
        }
        Path base = file.toAbsolutePath().getParent();
        return new Reader(base).config(file, root);
    }

    /** Parses one document, keeping the path of the key being read for messages. */
    private static final class Reader {
        private final Path base;

        Reader(Path base) {
            this.base = base;
        }

        ManagerConfig config(Path file, JsonNode root) throws ConfigFileException {
            known(root, "", TOP_KEYS);
            Map<String, Ca> cas = new LinkedHashMap<>();
            if (root.has("directory")) {
                cas.put(DEFAULT_CA, ca(DEFAULT_CA, root, ""));
            } else {
                for (String key : CA_KEYS) {
                    if (root.has(key)) {
                        throw new ConfigFileException(key + ": needs a top-level directory (or move it under cas)");
                    }
                }
            }
            JsonNode named = root.get("cas");
            if (named != null && !named.isNull()) {
                if (!named.isObject()) {
                    throw new ConfigFileException("cas: must be a mapping of CA names to their keys");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    String at = "cas." + entry.getKey() + ".";
                    if (cas.containsKey(entry.getKey())) {
                        throw new ConfigFileException("cas." + entry.getKey() + ": is named twice");
                    }
                    if (!entry.getValue().isObject()) {
                        throw new ConfigFileException("cas." + entry.getKey() + ": must be a mapping");
                    }
                    known(entry.getValue(), at, CA_KEYS);
                    cas.put(entry.getKey(), ca(entry.getKey(), entry.getValue(), at));
                }
            }
            if (cas.isEmpty()) {
                throw new ConfigFileException("directory: is missing (the CA's directory URL)");
            }
            JsonNode list = root.get("certificates");
            if (list == null || list.isNull()) {
                throw new ConfigFileException("certificates: is missing (a list of certificate sets)");
            }
            if (!list.isArray() || list.isEmpty()) {
                throw new ConfigFileException("certificates: must be a non-empty list of certificate sets");
            }
            List<Cert> certs = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Cert cert = cert(list.get(i), "certificates[" + i + "]", cas);
                if (!names.add(cert.name())) {
                    throw new ConfigFileException(cert.key() + ".name: " + cert.name() + " is used twice");
                }
                certs.add(cert);
            }
            Path state = path(root, "state", "").orElse(base.resolve("keyward-state"));
            return new ManagerConfig(file, state, cas, certs, string(root, "hook", "").orElse(null),
                    duration(root, "hook-timeout", "").orElse(Duration.ofMinutes(1)),
                    duration(root, "renewal-info-interval", "").orElse(null));
        }

        private Ca ca(String name, JsonNode node, String at) throws ConfigFileException {
            URI directory = url(node, "directory", at).orElseThrow(
                    () -> new ConfigFileException(at + "directory: is missing (the CA's directory URL)"));
            boolean insecure = bool(node, "insecure-http", at);
            if (directory.getScheme().equalsIgnoreCase("http") && !insecure) {
                throw new ConfigFileException(at + "directory: is not https; add insecure-http: true only for a local test CA");
            }
            List<Path> trust = new ArrayList<>();
            for (String entry : strings(node, "trust", at)) {
                trust.add(base.resolve(entry));
            }
            Optional<String> accountKey = string(node, "account-key", at);
            if (accountKey.isPresent() && !Keys.looksLikeUri(accountKey.get())) {
                accountKey = Optional.of(base.resolve(accountKey.get()).toString());
            }
            Optional<String> account = string(node, "account", at);
            if (account.isPresent() && accountKey.isPresent()) {
                throw new ConfigFileException(at + "account: give account (a named account, as --account NAME) or"
                        + " account-key, not both");
            }
            if (account.isPresent() && !dev.keyward.acme.AccountExport.isValidName(account.get())) {
                throw new ConfigFileException(at + "account: must be 1-64 letters, digits, '.', '_' or '-', starting"
                        + " with a letter or digit");
            }
            Duration timeout = duration(node, "issuance-timeout", at).orElse(Duration.ofMinutes(5));
            if (timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigFileException(at + "issuance-timeout: at most 1d");
            }
            return new Ca(name, directory, trust, accountKey, account, strings(node, "contact", at), insecure, timeout);
        }

        private Cert cert(JsonNode node, String at, Map<String, Ca> cas) throws ConfigFileException {
            if (node == null || !node.isObject()) {
                throw new ConfigFileException(at + ": must be a mapping with name, domains, out and a challenge key");
            }
            String p = at + ".";
            known(node, p, CERT_KEYS);
            String name = string(node, "name", p).orElseThrow(() -> new ConfigFileException(p + "name: is missing"));
            if (!SET_NAME.matcher(name).matches()) {
                throw new ConfigFileException(p + "name: " + name + " is not lower-case letters, digits, '.', '_'"
                        + " and '-' (at most 63, starting with a letter or digit)");
            }
            String ca = string(node, "ca", p).orElse(DEFAULT_CA);
            if (!cas.containsKey(ca)) {
                throw new ConfigFileException(p + "ca: names no CA" + (ca.equals(DEFAULT_CA)
                        ? " (give a top-level directory, or ca: NAME of an entry under cas)" : " under cas: " + ca));
            }
            List<String> domains = strings(node, "domains", p);
            List<String> ips = strings(node, "ips", p);
            if (domains.isEmpty() && ips.isEmpty()) {
                throw new ConfigFileException(p + "domains: is missing (a list of names to certify)");
            }
            Path out = path(node, "out", p).orElseThrow(() -> new ConfigFileException(p
                    + "out: is missing (the directory that receives cert.pem, chain.pem and key.pem)"));
            Integer http = port(node, "http01-port", p);
            Integer alpn = port(node, "tlsalpn01-port", p);
            Optional<URI> dns = url(node, "dns01-challtestsrv", p);
            if (http == null && alpn == null && dns.isEmpty()) {
                throw new ConfigFileException(p + "http01-port: is missing (or give tlsalpn01-port or dns01-challtestsrv)");
            }
            Optional<String> key = string(node, "key", p);
            if (key.isPresent()) {
                try {
                    Keys.requireKnownScheme(key.get());
                } catch (UsageException e) {
                    throw new ConfigFileException(p + "key: " + e.getMessage());
                }
                if (!Keys.looksLikeUri(key.get())) {
                    key = Optional.of(base.resolve(key.get()).toString());
                }
            }
            KeyType type = KeyType.EC_P256;
            Optional<String> typeName = string(node, "key-type", p);
            if (typeName.isPresent()) {
                if (key.isPresent()) {
                    throw new ConfigFileException(p + "key-type: is for a generated key; this set has key");
                }
                try {
                    type = KeyType.parse(typeName.get());
                } catch (UsageException e) {
                    throw new ConfigFileException(p + "key-type: " + e.getMessage());
                }
            }
            return new Cert(at, name, ca, domains, ips, out, http, alpn, dns.orElse(null), string(node, "profile", p),
                    string(node, "preferred-chain", p), key, type, string(node, "hook", p));
        }

        private static void known(JsonNode node, String at, Set<String> allowed) throws ConfigFileException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw new ConfigFileException(at + key + ": unknown key");
                }
            }
        }

        private static Optional<String> string(JsonNode node, String key, String at) throws ConfigFileException {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isValueNode() || value.isBoolean()) {
                throw new ConfigFileException(at + key + ": must be a string");
            }
            String text = value.asText();
            if (text.isBlank()) {
                throw new ConfigFileException(at + key + ": must not be empty");
            }
            return Optional.of(text);
        }

        private static List<String> strings(JsonNode node, String key, String at) throws ConfigFileException {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (value.isValueNode()) {
                return List.of(string(node, key, at).orElseThrow());
            }
            if (!value.isArray()) {
                throw new ConfigFileException(at + key + ": must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isValueNode() || item.isNull() || item.isBoolean() || item.asText().isBlank()) {
                    throw new ConfigFileException(at + key + "[" + i + "]: must be a non-empty string");
                }
                out.add(item.asText());
            }
            return out;
        }

        private Optional<Path> path(JsonNode node, String key, String at) throws ConfigFileException {
            Optional<String> text = string(node, key, at);
            return text.isEmpty() ? Optional.empty() : Optional.of(base.resolve(text.get()));
        }

        private static Integer port(JsonNode node, String key, String at) throws ConfigFileException {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw new ConfigFileException(at + key + ": not a port number: " + ExitCodes.oneLine(value.asText()));
            }
            int port = value.intValue();
            if (port < 1 || port > 65535) {
                throw new ConfigFileException(at + key + ": a port is 1 to 65535, not " + port);
            }
            return port;
        }

        private static boolean bool(JsonNode node, String key, String at) throws ConfigFileException {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return false;
            }
            if (!value.isBoolean()) {
                throw new ConfigFileException(at + key + ": must be true or false");
            }
            return value.booleanValue();
        }

        private static Optional<URI> url(JsonNode node, String key, String at) throws ConfigFileException {
            Optional<String> text = string(node, key, at);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(text.get());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                    throw new ConfigFileException(at + key + ": needs an absolute http(s) URL, not "
                            + ExitCodes.oneLine(text.get()));
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new ConfigFileException(at + key + ": not a URL: " + ExitCodes.oneLine(text.get()));
            }
        }

        /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 500ms}, or ISO-8601 {@code PT30S}. */
        private static Optional<Duration> duration(JsonNode node, String key, String at) throws ConfigFileException {
            Optional<String> text = string(node, key, at);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            String value = text.get().trim().toLowerCase(Locale.ROOT);
            Duration d;
            Matcher m = DURATION.matcher(value);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    d = switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                } else {
                    d = Duration.parse(text.get().trim());
                }
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                throw new ConfigFileException(at + key + ": not a duration (like 30s, 5m, 1h): "
                        + ExitCodes.oneLine(text.get()));
            }
            if (d.isNegative() || d.isZero()) {
                throw new ConfigFileException(at + key + ": must be positive");
            }
            return Optional.of(d);
        }
    }
}
