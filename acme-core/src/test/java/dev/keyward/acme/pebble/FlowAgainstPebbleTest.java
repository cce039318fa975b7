package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeChallengeFailedException;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeSolverException;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.ChallengeSolver;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.Http01Lookup;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The issuance flow ({@code Account.issue}, RFC 8555 sections 7.4 and 8) against a Pebble that
 * never reuses an authorization, so every order proves every name afresh. Its http-01 answers come
 * from the core's own solvers on Pebble's http-01 port (the test kit's responder is never bound here).
 */
class FlowAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    private AcmeClient client;
    private Account account;

    @BeforeEach
    void register() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        client = flow.client();
        account = flow.register(client, TestKeys.ecP256());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private static InetSocketAddress http01Address() {
        return new InetSocketAddress("127.0.0.1", pebble.server().http01Port());
    }

    @ParameterizedTest(name = "{0} names")
    @ValueSource(ints = {1, 3, 10})
    void everyNameOfAnOrderIsProvenOverHttp01FromTheCoresServerAndCertifiedInOneCertificate(int count)
            throws Exception {
        List<String> names = IntStream.range(0, count).mapToObj(i -> PebbleFlow.uniqueName("n" + i)).toList();
        try (Http01Server server = Http01Server.start(http01Address())) {
            RecordingSolver solver = new RecordingSolver(server);

            IssuanceResult result = account.issue(IssuanceRequest.builder().domains(names)
                    .certificateKey(TestKeys.ecP256()).solvers(solver).build());

            assertThat(subjectNames(result.chain().leaf())).containsExactlyInAnyOrderElementsOf(names);
            assertThat(result.order().status()).isEqualTo(Status.VALID);
            assertThat(result.reusedAuthorizations()).isZero();
            assertThat(solver.deployed).hasSize(count).extracting(Challenge::type).containsOnly("http-01");
            assertThat(solver.removed).as("answers removed after success")
                    .containsExactlyInAnyOrderElementsOf(solver.deployed);
            assertThat(server.servedTokens()).isZero();
        }
    }

    @Test
    void anHttp01LookupMountedInTheCallersOwnServerAnswersPebble() throws Exception {
        String name = PebbleFlow.uniqueName("lookup");
        Http01Lookup lookup = Http01Lookup.create();
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        HttpServer own = ownServer(lookup, paths);
        try {
            IssuanceResult result = account.issue(IssuanceRequest.builder().domains(name)
                    .certificateKey(TestKeys.ecP256()).solvers(lookup).build());

            assertThat(subjectNames(result.chain().leaf())).containsExactly(name);
            assertThat(paths).as("paths Pebble's validator fetched from the caller's server").isNotEmpty()
                    .allSatisfy(path -> assertThat(path).startsWith(Http01Lookup.PATH_PREFIX));
            assertThat(lookup.size()).as("tokens left in the lookup").isZero();
        } finally {
            own.stop(0);
        }
    }

    @Test
    void oneNameIsProvenOverDns01AndItsRecordRemovedAfterwards() throws Exception {
        String name = PebbleFlow.uniqueName("dns");
        RecordingDns dns = new RecordingDns(new ChallengeTestDns(pebble.server().dns()));

        IssuanceResult result = account.issue(IssuanceRequest.builder().domains(name)
                .certificateKey(TestKeys.ecP256()).solvers(Dns01Solver.using(dns)).build());

        assertThat(subjectNames(result.chain().leaf())).containsExactly(name);
        assertThat(dns.set).containsExactly("_acme-challenge." + name);
        assertThat(dns.removed).as("records removed after success").containsExactlyElementsOf(dns.set);
    }

    @Test
    void aWildcardAndItsBaseNameAreBothProvenOverDns01() throws Exception {
        String base = PebbleFlow.uniqueName("wild");
        RecordingDns dns = new RecordingDns(new ChallengeTestDns(pebble.server().dns()));

        IssuanceResult result = account.issue(IssuanceRequest.builder().domains("*." + base, base)
                .certificateKey(TestKeys.ecP256()).solvers(Dns01Solver.using(dns)).build());

        assertThat(subjectNames(result.chain().leaf())).containsExactlyInAnyOrder("*." + base, base);
        assertThat(dns.set).as("one record name, two values").containsExactly("_acme-challenge." + base,
                "_acme-challenge." + base);
        assertThat(dns.removed).hasSize(2);
    }

    @Test
    void aWildcardIsNeverOfferedToAnHttp01Solver() throws Exception {
        String base = PebbleFlow.uniqueName("nohttp");
        try (Http01Server server = Http01Server.start(http01Address())) {
            assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains("*." + base)
                    .certificateKey(TestKeys.ecP256()).solvers(server).build()))
                    .isInstanceOf(AcmeSolverException.class)
                    .hasMessageContaining("*." + base).hasMessageContaining("dns-01");
        }
    }

    @Test
    void aDnsProviderThatPublishesNothingFailsTheIssuanceNamingTheIdentifierTheTypeAndPebblesProblem()
            throws Exception {
        String name = PebbleFlow.uniqueName("silent");
        RecordingDns silent = new RecordingDns(null);

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains(name)
                .certificateKey(TestKeys.ecP256()).solvers(Dns01Solver.using(silent)).build()))
                .isInstanceOfSatisfying(AcmeChallengeFailedException.class, e -> {
                    assertThat(e.identifier().value()).isEqualTo(name);
                    assertThat(e.challengeType()).isEqualTo("dns-01");
                    assertThat(e.authorizationUrl()).isNotNull();
                    assertThat(e.problem().type().toString()).startsWith("urn:ietf:params:acme:error:");
                    assertThat(e.problem().detail()).isPresent();
                    assertThat(e.getMessage()).contains(name).contains("dns-01");
                });
        assertThat(silent.set).hasSize(1);
        assertThat(silent.removed).as("records removed after failure").containsExactlyElementsOf(silent.set);
    }

    @Test
    void aWrongHttp01AnswerFailsTheIssuanceWithPebblesProblemAndIsTakenDownAfterwards() throws Exception {
        String name = PebbleFlow.uniqueName("garbage");
        Http01Lookup lookup = Http01Lookup.create();
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        HttpServer own = ownServer(lookup, paths);
        try {
            RecordingSolver garbage = new RecordingSolver(new GarbageAnswers(lookup));

            assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains(name)
                    .certificateKey(TestKeys.ecP256()).solvers(garbage).build()))
                    .isInstanceOfSatisfying(AcmeChallengeFailedException.class, e -> {
                        assertThat(e.identifier().value()).isEqualTo(name);
                        assertThat(e.challengeType()).isEqualTo("http-01");
                        assertThat(e.problem().type().toString()).startsWith("urn:ietf:params:acme:error:");
                        assertThat(e.problem().detail()).isPresent();
                    });
            assertThat(paths).as("Pebble fetched the wrong answer").isNotEmpty();
            assertThat(garbage.deployed).hasSize(1);
            assertThat(garbage.removed).as("answers removed after failure").containsExactlyElementsOf(garbage.deployed);
            assertThat(lookup.size()).isZero();
        } finally {
            own.stop(0);
        }
    }

    /** The caller's own JDK HTTP server on Pebble's http-01 port, answering from the lookup. */
    private static HttpServer ownServer(Http01Lookup lookup, List<String> paths) throws Exception {
        HttpServer own = HttpServer.create(http01Address(), 16);
        own.createContext(Http01Lookup.PATH_PREFIX, exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getRawPath());
                Optional<String> body = lookup.answer(exchange.getRequestURI().getRawPath());
                if (body.isEmpty()) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = body.get().getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        own.start();
        return own;
    }

    static List<String> subjectNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        for (List<?> san : certificate.getSubjectAlternativeNames()) {
            names.add((String) san.get(1));
        }
        return names;
    }

    /** Records what a solver was asked to deploy and to remove. */
    static final class RecordingSolver implements ChallengeSolver {
        final List<Challenge> deployed = Collections.synchronizedList(new ArrayList<>());
        final List<Challenge> removed = Collections.synchronizedList(new ArrayList<>());
        private final ChallengeSolver solver;

        RecordingSolver(ChallengeSolver solver) {
            this.solver = solver;
        }

        @Override
        public Set<String> challengeTypes() {
            return solver.challengeTypes();
        }

        @Override
        public boolean canSolve(dev.keyward.acme.Authorization authorization) {
            return solver.canSolve(authorization);
        }

        @Override
        public void deploy(Challenge challenge) throws AcmeSolverException {
            solver.deploy(challenge);
            deployed.add(challenge);
        }

        @Override
        public void remove(Challenge challenge) {
            removed.add(challenge);
            solver.remove(challenge);
        }

        @Override
        public boolean awaitValidation(Challenge challenge, java.time.Duration timeout) throws InterruptedException {
            return solver.awaitValidation(challenge, timeout);
        }
    }

    /** Deploys an http-01 answer that is not the key authorization: a validator must refuse it. */
    private static final class GarbageAnswers implements ChallengeSolver {
        private final Http01Lookup lookup;

        GarbageAnswers(Http01Lookup lookup) {
            this.lookup = lookup;
        }

        @Override
        public Set<String> challengeTypes() {
            return lookup.challengeTypes();
        }

        @Override
        public void deploy(Challenge challenge) {
            lookup.put(challenge.token().orElseThrow(), "not-the-key-authorization");
        }

        @Override
        public void remove(Challenge challenge) {
            lookup.removeToken(challenge.token().orElseThrow());
        }
    }

    /** Records TXT records set and removed; passes them on to a provider, or publishes nothing. */
    static final class RecordingDns implements DnsProvider {
        final List<String> set = Collections.synchronizedList(new ArrayList<>());
        final List<String> removed = Collections.synchronizedList(new ArrayList<>());
        private final DnsProvider provider;

        RecordingDns(DnsProvider provider) {
            this.provider = provider;
        }

        @Override
        public void setTxt(String name, String value) throws Exception {
            set.add(name);
            if (provider != null) {
                provider.setTxt(name, value);
            }
        }

        @Override
        public void removeTxt(String name, String value) throws Exception {
            removed.add(name);
            if (provider != null) {
                provider.removeTxt(name, value);
            }
        }
    }
}
