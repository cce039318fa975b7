package dev.keyward.examples.cli;

import dev.keyward.acme.AccountExport;

import java.nio.file.Path;

import java.nio.file.Files;

import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.manager.AcmeCa;
import dev.keyward.acme.manager.CertificateManager;
import dev.keyward.acme.manager.CertificateSet;
import dev.keyward.acme.manager.CertificateStorage;
import dev.keyward.acme.manager.EventListener;
import dev.keyward.acme.manager.KeySource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link ManagerConfig} into acme-manager's {@link CertificateManager}: one {@link AcmeCa} per
 * configured CA, one {@link CertificateSet} per certificate with its key source and its challenge
 * solvers (the client's own http-01 and tls-alpn-01 servers, shared by sets on the same port, and
 * pebble-challtestsrv for DNS), the manager's storage in the config's {@code state} directory. What it
 * opens (servers, PKCS#11 key stores, KMS clients) is closed with it.
 */
final class ManagedSets implements AutoCloseable {
    private final OpenedResources resources = new OpenedResources();
    private final Map<Integer, ChallengeSolver> http01 = new HashMap<>();
    private final Map<Integer, ChallengeSolver> tlsAlpn01 = new HashMap<>();
    private final Map<String, AcmeCa> cas = new LinkedHashMap<>();
    private final ManagerConfig config;
    private final Path accounts;
    private final PrintStream err;

    private ManagedSets(ManagerConfig config, Path accounts, PrintStream err) {
        this.config = config;
        this.accounts = accounts;
        this.err = err;
    }

    /**
     * Builds the manager; opens nothing that listens until {@code solvers} is true (a dry run needs no
     * server). {@code accounts} is the folder of named accounts (a CA's {@code account: NAME}).
     */
    static ManagedSets open(ManagerConfig config, Path accounts, EventListener events, boolean background,
            boolean solvers, PrintStream err) throws ConfigException, UsageException, ConfigFileException, IOException {
        ManagedSets sets = new ManagedSets(config, accounts, err);
        try {
            sets.manager = sets.build(events, background, solvers);
            return sets;
        } catch (ConfigException | UsageException | ConfigFileException | IOException | RuntimeException e) {
            sets.close();
            throw e;
        }
    }

    private CertificateManager manager;

    CertificateManager manager() {
        return manager;
    }

    ManagerConfig config() {
        return config;
    }

    AcmeCa ca(String name) {
        return cas.get(name);
    }

    private CertificateManager build(EventListener events, boolean background, boolean solvers)
            throws ConfigException, UsageException, ConfigFileException, IOException {
        Keys keys = new Keys(resources, err);
        for (ManagerConfig.Ca ca : config.cas().values()) {
            cas.put(ca.name(), ca(ca, keys));
        }
        CertificateManager.Builder builder = CertificateManager.builder()
                .storage(CertificateStorage.files(config.state()))
                .eventListener(events)
                .backgroundScheduling(background);
        if (config.renewalInfoInterval() != null) {
            builder.maxRenewalInfoInterval(config.renewalInfoInterval());
        }
        for (ManagerConfig.Cert cert : config.certificates()) {
            builder.add(set(cert, keys, solvers));
        }
        return builder.build();
    }

    private AcmeCa ca(ManagerConfig.Ca ca, Keys keys) throws ConfigException, UsageException, ConfigFileException {
        String at = ca.name().equals(ManagerConfig.DEFAULT_CA) ? "" : "cas." + ca.name() + ".";
        AcmeCa.Builder builder = AcmeCa.builder(ca.directory()).agreeToTermsOfService()
                .allowPlainHttp(ca.insecureHttp()).issuanceDeadline(ca.issuanceTimeout());
        for (int i = 0; i < ca.trust().size(); i++) {
            try {
                builder.trustAnchors(TrustFiles.read(ca.trust().get(i)));
            } catch (ConfigException e) {
                throw new ConfigFileException(at + "trust[" + i + "]: " + e.getMessage());
            }
        }
        for (String contact : ca.contacts()) {
            builder.contact(contact);
        }
        if (ca.account().isPresent()) {
            String name = ca.account().get();
            Path folder = accounts.resolve(name);
            Optional<AccountExport> record;
            try {
                record = AccountNames.record(folder);
            } catch (ConfigException | UsageException e) {
                throw new ConfigFileException(at + "account: " + e.getMessage());
            }
            Path keyFile = folder.resolve(AccountNames.KEY_FILE);
            String spec = Files.exists(keyFile) ? keyFile.toString()
                    : record.flatMap(AccountExport::keyReference).orElse(null);
            if (spec == null) {
                throw new ConfigFileException(at + "account: no account named " + name + " in " + accounts
                        + " (make it with `keyward --account " + name + " account register` or `account import`)");
            }
            AcmeSigner signer;
            try {
                signer = keys.accountKey(Optional.of(spec));
            } catch (ConfigException e) {
                throw new ConfigFileException(at + "account: " + e.getMessage());
            }
            builder.accountKey(reference(spec), signer).accountName(name);
        }
        if (ca.accountKey().isPresent()) {
            String spec = ca.accountKey().get();
            AcmeSigner signer;
            try {
                signer = keys.accountKey(Optional.of(spec));
            } catch (ConfigException e) {
                throw new ConfigFileException(at + "account-key: " + e.getMessage());
            }
            builder.accountKey(reference(spec), signer);
        }
        return builder.build();
    }

    private CertificateSet set(ManagerConfig.Cert cert, Keys keys, boolean solvers)
            throws ConfigException, UsageException, ConfigFileException {
        String at = cert.key() + ".";
        CertificateSet.Builder builder = CertificateSet.builder(cert.name()).ca(cas.get(cert.ca()));
        try {
            builder.domains(cert.domains().toArray(new String[0]));
            for (String ip : cert.ips()) {
                builder.identifiers(Identifier.ip(ip));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(at + (cert.domains().isEmpty() ? "ips" : "domains") + ": " + e.getMessage());
        }
        cert.profile().ifPresent(builder::profile);
        cert.preferredChain().ifPresent(builder::preferredChain);
        builder.keySource(keySource(cert, keys, at));
        List<ChallengeSolver> list = new ArrayList<>();
        // A dry run orders nothing: it binds no port, and the set keeps the manager's default solvers.
        if (solvers && cert.http01Port() != null) {
            ChallengeSolver server = http01.get(cert.http01Port());
            if (server == null) {
                server = server(at + "http01-port", cert.http01Port(), false);
                http01.put(cert.http01Port(), server);
            }
            list.add(server);
        }
        if (solvers && cert.tlsAlpn01Port() != null) {
            ChallengeSolver server = tlsAlpn01.get(cert.tlsAlpn01Port());
            if (server == null) {
                server = server(at + "tlsalpn01-port", cert.tlsAlpn01Port(), true);
                tlsAlpn01.put(cert.tlsAlpn01Port(), server);
            }
            list.add(server);
        }
        if (cert.dns01Challtestsrv() != null) {
            list.add(Dns01Solver.using(new ChallTestSrvDns(cert.dns01Challtestsrv())));
        }
        return builder.solvers(list.toArray(new ChallengeSolver[0])).build();
    }

    private KeySource keySource(ManagerConfig.Cert cert, Keys keys, String at)
            throws ConfigException, UsageException, ConfigFileException {
        if (cert.certificateKey().isEmpty()) {
            return switch (cert.keyType()) {
                case EC_P384 -> KeySource.ecP384();
                case RSA_2048 -> KeySource.rsa(2048);
                default -> KeySource.ecP256();
            };
        }
        String spec = cert.certificateKey().get();
        try {
            return KeySource.external(reference(spec), keys.existingKey(spec, at + "key"));
        } catch (ConfigException e) {
            throw new ConfigFileException(at + "key: " + e.getMessage());
        }
    }

    /** The name the manager's storage records for a caller's key: the value itself when it fits, else its digest. */
    static String reference(String spec) {
        String ref = spec.replace(" ", "%20");
        if (ref.length() <= 200 && ref.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            return ref;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client's http-01 or tls-alpn-01 server on the port: loopback for a CA on this machine, else every interface. */
    private ChallengeSolver server(String key, int port, boolean tls) throws ConfigFileException {
        ManagerConfig.Cert cert = config.certificates().stream().filter(c -> key.startsWith(c.key() + "."))
                .findFirst().orElseThrow();
        try {
            InetSocketAddress address = new InetSocketAddress(
                    Solvers.bindAddressFor(config.cas().get(cert.ca()).directory()), port);
            return tls ? Solvers.tlsAlpn01(resources, address) : Solvers.http01(resources, address);
        } catch (ConfigException e) {
            throw new ConfigFileException(key + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
        resources.close();
    }
}
