package dev.keyward.acme.manager;

import dev.keyward.acme.Identifier;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves the manager's current certificates by SNI: an exact name first, then a wildcard of its
 * parent, then (no SNI, or an unknown name) the first set that has a certificate. A renewal
 * replaces one immutable snapshot with a volatile write, so a handshake sees the old or the new
 * certificate, never a mix; the aliases of the previous generation stay resolvable, so a handshake
 * that chose an alias just before a swap still finds its chain and key.
 */
final class ServingKeyManager extends X509ExtendedKeyManager {
    private final List<String> order;
    private final Map<String, Served> current = new ConcurrentHashMap<>();
    private final Map<String, Served> byAlias = new ConcurrentHashMap<>();
    private final Map<String, String> previousAlias = new ConcurrentHashMap<>();
    private volatile Map<String, Served> byName = Map.of();
    private volatile Served fallback;

    ServingKeyManager(List<String> setOrder) {
        this.order = List.copyOf(setOrder);
    }

    /** Serves a set's certificate from now on. */
    synchronized void install(CertificateSet set, ManagedCertificate certificate) {
        if (!certificate.isServable()) {
            return;
        }
        String alias = set.name() + "@" + certificate.leaf().getSerialNumber().toString(16);
        Served served = new Served(alias, set, certificate);
        byAlias.put(alias, served);
        Served old = current.put(set.name(), served);
        if (old != null && !old.alias.equals(alias)) {
            String older = previousAlias.put(set.name(), old.alias);
            if (older != null) {
                byAlias.remove(older);
            }
        }
        Map<String, Served> names = new HashMap<>();
        Served first = null;
        for (String name : order) {
            Served s = current.get(name);
            if (s == null) {
                continue;
            }
            if (first == null) {
                first = s;
            }
            for (Identifier id : s.set.identifiers()) {
                names.putIfAbsent(id.value().toLowerCase(Locale.ROOT), s);
            }
        }
        byName = Map.copyOf(names);
        fallback = first;
    }

    Map<String, ManagedCertificate> served() {
        Map<String, ManagedCertificate> result = new LinkedHashMap<>();
        current.forEach((name, s) -> result.put(name, s.certificate));
        return result;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession session) {
        Served served = null;
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    served = lookup(((SNIHostName) name).getAsciiName());
                }
            }
        }
        if (served == null) {
            served = fallback;
        }
        if (served == null || !served.keyAlgorithm.equalsIgnoreCase(keyType)) {
            return null;
        }
        return served.alias;
    }

    private Served lookup(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        Map<String, Served> names = byName;
        Served exact = names.get(name);
        if (exact != null) {
            return exact;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? null : names.get("*" + name.substring(dot));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Served served = alias == null ? null : byAlias.get(alias);
        return served == null ? null : served.certificate.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Served served = alias == null ? null : byAlias.get(alias);
        return served == null ? null : served.certificate.privateKey();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (Served served : current.values()) {
            if (served.keyAlgorithm.equalsIgnoreCase(keyType)) {
                aliases.add(served.alias);
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String toString() {
        return "CertificateManager key manager{" + current.keySet() + "}";
    }

    private static final class Served {
        final String alias;
        final CertificateSet set;
        final ManagedCertificate certificate;
        final String keyAlgorithm;

        Served(String alias, CertificateSet set, ManagedCertificate certificate) {
            this.alias = alias;
            this.set = set;
            this.certificate = certificate;
            this.keyAlgorithm = certificate.privateKey().getAlgorithm();
        }
    }
}
