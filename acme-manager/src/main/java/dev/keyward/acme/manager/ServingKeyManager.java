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
 * moves each of the set's names to the new certificate with one write of an immutable entry, so a
 * handshake sees the old or the new certificate, never a mix; the aliases of the previous generation stay resolvable, so a handshake
 * that chose an alias just before a swap still finds its chain and key.
 */
final class ServingKeyManager extends X509ExtendedKeyManager {
    /** The position of each set in the order added: the earlier set wins a name both list. */
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<String, Served> current = new ConcurrentHashMap<>();
    private final Map<String, Served> byAlias = new ConcurrentHashMap<>();
    private final Map<String, String> previousAlias = new ConcurrentHashMap<>();
    private final Map<String, Served> byName = new ConcurrentHashMap<>();
    private volatile Served fallback;

    ServingKeyManager(List<String> setOrder) {
        for (String name : setOrder) {
            position.putIfAbsent(name, position.size());
        }
    }

    /**
     * Serves a set's certificate from now on. Each of the set's names, and the fallback, moves to
     * the new certificate in one volatile write, so a handshake sees the old or the new one, never
     * a mix; the cost is the set's own names, not the number of sets.
     */
    synchronized void install(CertificateSet set, ManagedCertificate certificate) {
        if (!certificate.isServable()) {
            return;
        }
        String alias = set.name() + "@" + certificate.leaf().getSerialNumber().toString(16);
        Served served = new Served(alias, set, certificate, position.getOrDefault(set.name(), Integer.MAX_VALUE));
        byAlias.put(alias, served);
        Served old = current.put(set.name(), served);
        if (old != null && !old.alias.equals(alias)) {
            String older = previousAlias.put(set.name(), old.alias);
            if (older != null) {
                byAlias.remove(older);
            }
        }
        for (Identifier id : set.identifiers()) {
            byName.merge(id.value().toLowerCase(Locale.ROOT), served, ServingKeyManager::earlier);
        }
        Served first = fallback;
        fallback = first == null ? served : earlier(first, served);
    }

    /** Of a name's holder and a newcomer: the same set's newer certificate, else the set added first. */
    private static Served earlier(Served holder, Served newcomer) {
        if (holder.set.name().equals(newcomer.set.name())) {
            return newcomer;
        }
        return newcomer.position < holder.position ? newcomer : holder;
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

    /** The alias a handshake with this SNI host name ({@code null}: none) is served. */
    String aliasFor(String host) {
        Served served = host == null ? null : lookup(host);
        if (served == null) {
            served = fallback;
        }
        return served == null ? null : served.alias;
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
        final int position;

        Served(String alias, CertificateSet set, ManagedCertificate certificate, int position) {
            this.alias = alias;
            this.position = position;
            this.set = set;
            this.certificate = certificate;
            this.keyAlgorithm = certificate.privateKey().getAlgorithm();
        }
    }
}
