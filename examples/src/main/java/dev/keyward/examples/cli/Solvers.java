package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSolverException;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.DnsAccount01Solver;
import dev.keyward.acme.DnsPersist01Solver;
import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.TlsAlpn01Server;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The library's challenge solvers that {@code issue}'s challenge options ask for, in order of
 * preference.
 *
 * <p>With {@code --challenge TYPE...}: exactly those types in the order given, each taking what it
 * needs from its option: http-01 its port from {@code --http01-port}, tls-alpn-01 from
 * {@code --tlsalpn01-port}, dns-01, dns-account-01 and dns-persist-01 their DNS provider from
 * {@code --dns01-challtestsrv}. With {@code --pebble} the started Pebble's own ports and
 * challenge test server stand in for missing options. A type without what it needs, a type listed
 * twice, or a solver option no listed type uses is a usage error, before any request.
 *
 * <p>Without {@code --challenge}: the solver options given decide, in the order http-01,
 * tls-alpn-01, dns-01; {@code --http01-port} and {@code --dns01-challtestsrv} stay mutually
 * exclusive (list both types with {@code --challenge} to offer both); with no option at all,
 * {@code --pebble}'s http-01 port. Servers are closed with the command.
 */
final class Solvers {
    private Solvers() {
    }

    /** What the solver options of one command line hold. */
    record Options(List<ChallengeType> challenges, Integer httpPort, Integer tlsAlpnPort, String challtestsrv) {
    }

    /** The challenge types to use, checked before anything is opened. */
    static List<ChallengeType> plan(Options o, boolean pebble) throws UsageException {
        if (o.challenges() == null || o.challenges().isEmpty()) {
            if (o.httpPort() != null && o.challtestsrv() != null) {
                throw new UsageException("--http01-port and --dns01-challtestsrv are mutually exclusive without"
                        + " --challenge; list both types with --challenge to offer both");
            }
            List<ChallengeType> types = new ArrayList<>();
            if (o.httpPort() != null || (pebble && o.tlsAlpnPort() == null && o.challtestsrv() == null)) {
                types.add(ChallengeType.HTTP_01);
            }
            if (o.tlsAlpnPort() != null) {
                types.add(ChallengeType.TLS_ALPN_01);
            }
            if (o.challtestsrv() != null) {
                types.add(ChallengeType.DNS_01);
            }
            if (types.isEmpty()) {
                throw new UsageException("issue needs --http01-port PORT, --tlsalpn01-port PORT or"
                        + " --dns01-challtestsrv URL (or --challenge TYPE with it)");
            }
            return types;
        }
        Set<ChallengeType> seen = EnumSet.noneOf(ChallengeType.class);
        for (ChallengeType type : o.challenges()) {
            if (!seen.add(type)) {
                throw new UsageException("--challenge " + type + " is given twice");
            }
            boolean has = switch (type) {
                case HTTP_01 -> o.httpPort() != null || pebble;
                case TLS_ALPN_01 -> o.tlsAlpnPort() != null || pebble;
                default -> o.challtestsrv() != null || pebble;
            };
            if (!has) {
                throw new UsageException("--challenge " + type + " needs " + type.needs);
            }
        }
        unused(o.httpPort() != null && !seen.contains(ChallengeType.HTTP_01), "--http01-port", "http-01");
        unused(o.tlsAlpnPort() != null && !seen.contains(ChallengeType.TLS_ALPN_01), "--tlsalpn01-port", "tls-alpn-01");
        unused(o.challtestsrv() != null && seen.stream().noneMatch(ChallengeType::dns), "--dns01-challtestsrv",
                "dns-01, dns-account-01 or dns-persist-01");
        return List.copyOf(o.challenges());
    }

    private static void unused(boolean unused, String option, String types) throws UsageException {
        if (unused) {
            throw new UsageException(option + " is given but --challenge lists no " + types);
        }
    }

    /** Opens the solvers of the planned types, in that order. */
    static List<ChallengeSolver> open(Environment env, List<ChallengeType> types, Options o)
            throws UsageException, ConfigException {
        List<ChallengeSolver> solvers = new ArrayList<>();
        DnsProvider dns = null;
        for (ChallengeType type : types) {
            switch (type) {
                case HTTP_01 -> solvers.add(o.httpPort() != null
                        ? http01(env, new InetSocketAddress(bindAddressFor(env.directoryUrl()), o.httpPort()))
                        : http01(env, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                                env.pebble().orElseThrow().http01Port())));
                case TLS_ALPN_01 -> solvers.add(o.tlsAlpnPort() != null
                        ? tlsAlpn01(env, new InetSocketAddress(bindAddressFor(env.directoryUrl()), o.tlsAlpnPort()))
                        : tlsAlpn01(env, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                                env.pebble().orElseThrow().tlsAlpnPort())));
                default -> {
                    if (dns == null) {
                        dns = dns(env, o.challtestsrv());
                    }
                    solvers.add(switch (type) {
                        case DNS_ACCOUNT_01 -> DnsAccount01Solver.using(dns);
                        case DNS_PERSIST_01 -> DnsPersist01Solver.using(dns);
                        default -> Dns01Solver.using(dns);
                    });
                }
            }
        }
        return solvers;
    }

    private static DnsProvider dns(Environment env, String challtestsrv) throws UsageException {
        URI server = challtestsrv != null
                ? Environment.uri(challtestsrv, "--dns01-challtestsrv")
                : env.pebble().orElseThrow().dns().managementUri();
        try {
            return new ChallTestSrvDns(server);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dns01-challtestsrv needs an http URL, was: " + challtestsrv);
        }
    }

    /** An http-01 server on the address, closed with the command. */
    static Http01Server http01(Environment env, InetSocketAddress address) throws ConfigException {
        return http01(env.resources(), address);
    }

    /** An http-01 server on the address, closed with the resources. */
    static Http01Server http01(OpenedResources resources, InetSocketAddress address) throws ConfigException {
        try {
            return resources.add(Http01Server.start(address));
        } catch (AcmeSolverException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** A tls-alpn-01 server on the address, closed with the command. */
    static TlsAlpn01Server tlsAlpn01(Environment env, InetSocketAddress address) throws ConfigException {
        return tlsAlpn01(env.resources(), address);
    }

    /** A tls-alpn-01 server on the address, closed with the resources. */
    static TlsAlpn01Server tlsAlpn01(OpenedResources resources, InetSocketAddress address) throws ConfigException {
        try {
            return resources.add(TlsAlpn01Server.start(address));
        } catch (AcmeSolverException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Loopback when the CA is on this machine (a test CA), every interface otherwise. */
    static InetAddress bindAddressFor(URI directory) throws ConfigException {
        try {
            String host = directory.getHost();
            boolean local = host != null && (host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress());
            return local ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot resolve the CA host " + directory.getHost(), e);
        }
    }
}
