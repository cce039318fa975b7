package dev.keyward.examples.cli;

import dev.keyward.acme.AcmeSolverException;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The library's challenge solver the challenge options ask for: dns-01 through
 * {@code pebble-challtestsrv}, or an {@link Http01Server} on {@code --http01-port} (or on the
 * http-01 port of the Pebble that {@code --pebble} started). The server is closed with the command.
 */
final class Solvers {
    private Solvers() {
    }

    static ChallengeSolver choose(Environment env, Integer httpPort, String challtestsrv)
            throws UsageException, ConfigException {
        if (challtestsrv != null) {
            ChallengeTestServer dns = ChallengeTestServer.of(Environment.uri(challtestsrv, "--dns01-challtestsrv"));
            return Dns01Solver.using(new ChallTestSrvDns(dns));
        }
        if (httpPort != null) {
            return http01(env, new InetSocketAddress(bindAddressFor(env.directoryUrl()), httpPort));
        }
        if (env.pebble().isPresent()) {
            return http01(env, new InetSocketAddress(InetAddress.getLoopbackAddress(), env.pebble().get().http01Port()));
        }
        throw new UsageException("issue needs --http01-port PORT or --dns01-challtestsrv URL");
    }

    /** An http-01 server on the address, closed with the command. */
    static Http01Server http01(Environment env, InetSocketAddress address) throws ConfigException {
        try {
            return env.resources().add(Http01Server.start(address));
        } catch (AcmeSolverException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Loopback when the CA is on this machine (a test CA), every interface otherwise. */
    private static InetAddress bindAddressFor(URI directory) throws ConfigException {
        try {
            String host = directory.getHost();
            boolean local = host != null && (host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress());
            return local ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot resolve the CA host " + directory.getHost(), e);
        }
    }
}
