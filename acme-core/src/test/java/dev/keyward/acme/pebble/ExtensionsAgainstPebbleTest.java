package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeInvalidProfileException;
import dev.keyward.acme.DnsAccount01Solver;
import dev.keyward.acme.DnsPersist01Solver;
import dev.keyward.acme.Http01Server;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.Order;
import dev.keyward.acme.RenewalInfo;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleProfile;
import dev.keyward.acme.testkit.PebbleServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What CAs speak in 2026, against Pebble 2.10: certificate profiles (draft-ietf-acme-profiles),
 * renewal information and {@code replaces} (RFC 9773), dns-account-01 and dns-persist-01 (drafts).
 */
class ExtensionsAgainstPebbleTest {
    private static final Duration SHORT = Duration.ofDays(6);
    private static final Pattern REQUEST = Pattern.compile("\\b(GET|HEAD|POST) (/\\S*) -> calling handler");

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().server(PebbleServer.builder()
            .authorizationReusePercent(0)
            .profiles(Map.of("default", new PebbleProfile("The default", Duration.ofDays(90)),
                    "shortlived", new PebbleProfile("Six days", SHORT)))).build();

    private PebbleFlow flow;
    private AcmeClient client;
    private Http01Server http;
    private Account account;

    @BeforeEach
    void connect() throws Exception {
        flow = new PebbleFlow(pebble.server());
        client = flow.client();
        http = Http01Server.start(new InetSocketAddress("127.0.0.1", pebble.server().http01Port()));
        account = flow.register(client, TestKeys.ecP256());
    }

    @AfterEach
    void disconnect() {
        http.close();
        client.close();
    }

    @Test
    void aShortlivedProfileIsAskedForAndHonouredInTheRequestsOfOneFreshIssuance() throws Exception {
        AcmeClient fresh = flow.client();
        long mark = Files.size(pebbleLog());
        Account newAccount = flow.register(fresh, TestKeys.ecP256());

        IssuanceResult result = newAccount.issue(IssuanceRequest.builder().domains(PebbleFlow.uniqueName("short"))
                .certificateKey(TestKeys.ecP256()).solvers(http).profile("shortlived").build());
        fresh.close();

        assertThat(result.order().profile()).contains("shortlived");
        X509Certificate leaf = result.chain().leaf();
        Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(lifetime).isBetween(SHORT.minusMinutes(1), SHORT.plusMinutes(1));
        List<String> requests = requestsSince(mark);
        // Ten requests when Pebble is done by the first polls, which go out at once; one more per
        // poll that still found the authorization pending or the order processing.
        assertThat(String.join(", ", requests)).as("directory, newNonce, newAccount, newOrder, authz, challenge,"
                + " authz polls, finalize, order polls, certificate").matches("GET /dir, HEAD /nonce-plz,"
                + " POST /sign-me-up, POST /order-plz, POST /authZ/, POST /chalZ/, (POST /authZ/, )+"
                + "POST /finalize-order/, (POST /my-order/, )+POST /certZ/");
    }

    @Test
    void aProfileTheCaDoesNotListIsRefusedBeforeAnOrderIsSent() throws Exception {
        long mark = Files.size(pebbleLog());

        assertThatThrownBy(() -> account.issue(IssuanceRequest.builder().domains(PebbleFlow.uniqueName("none"))
                .certificateKey(TestKeys.ecP256()).solvers(http).profile("forever").build()))
                .isInstanceOfSatisfying(AcmeInvalidProfileException.class,
                        e -> assertThat(e.offered()).containsExactlyInAnyOrder("default", "shortlived"));
        assertThat(requestsSince(mark)).noneMatch(r -> r.contains("order-plz"));
    }

    @Test
    void theRenewalWindowIsTheLastThirdOfTheLifetimeAndARenewalReplacesTheCertificate() throws Exception {
        String name = PebbleFlow.uniqueName("ari");
        IssuanceResult first = issue(IssuanceRequest.builder().domains(name).profile("shortlived"));
        X509Certificate leaf = first.chain().leaf();

        RenewalInfo info = client.fetchRenewalInfo(leaf);

        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Instant lastThird = notAfter.minus(Duration.between(notBefore, notAfter).dividedBy(3));
        assertThat(info.certificateId()).isEqualTo(RenewalInfo.certificateId(leaf));
        assertThat(info.windowStart()).isBetween(lastThird.minus(Duration.ofHours(25)), lastThird.plus(Duration.ofHours(25)));
        assertThat(info.windowEnd()).isBeforeOrEqualTo(notAfter.plus(Duration.ofHours(25)));
        assertThat(info.chooseRenewalTime(Instant.now(), new Random())).isBetween(info.windowStart(), info.windowEnd());

        List<String> retries = new ArrayList<>();
        IssuanceResult renewed = issue(IssuanceRequest.builder().domains(name).profile("shortlived").replaces(leaf)
                .listener(recording(retries)));

        if (renewed.order().replaces().isEmpty()) {
            assertThat(retries).as("only Pebble's order-index race may drop replaces").singleElement().asString()
                    .contains("without 'replaces'").contains(PEBBLE_ORDER_INDEX_RACE);
        } else {
            assertThat(renewed.order().replaces()).contains(RenewalInfo.certificateId(leaf));
        }
        assertThat(renewed.chain().leaf().getSerialNumber()).isNotEqualTo(leaf.getSerialNumber());
    }

    @Test
    void aWindowMovedIntoThePastMeansRenewNow() throws Exception {
        X509Certificate leaf = issue(IssuanceRequest.builder().domains(PebbleFlow.uniqueName("past"))).chain().leaf();
        Instant now = Instant.now();
        pebble.server().setRenewalInfo(leaf, "{\"suggestedWindow\":{\"start\":\"" + now.minus(Duration.ofDays(2))
                + "\",\"end\":\"" + now.minus(Duration.ofDays(1)) + "\"},\"explanationURL\":\"https://ca.test/why\"}");

        RenewalInfo info = client.fetchRenewalInfo(leaf);

        assertThat(info.isRenewalDue(now)).isTrue();
        assertThat(info.chooseRenewalTime(now, new Random())).isEqualTo(now);
        assertThat(info.explanationUrl()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("https://ca.test/why"));
    }

    @Test
    void aSecondReplacementOfTheSameCertificateIsSentAgainWithoutReplaces() throws Exception {
        String name = PebbleFlow.uniqueName("twice");
        X509Certificate leaf = issue(IssuanceRequest.builder().domains(name)).chain().leaf();
        issue(IssuanceRequest.builder().domains(name).replaces(leaf));
        List<String> retries = new ArrayList<>();

        IssuanceResult again = issue(IssuanceRequest.builder().domains(name).replaces(leaf).listener(recording(retries)));

        assertThat(again.order().replaces()).isEmpty();
        assertThat(retries).singleElement().asString().contains("without 'replaces'")
                .containsAnyOf("alreadyReplaced", PEBBLE_ORDER_INDEX_RACE);
    }

    @Test
    void dnsAccount01ProvesANameAndAWildcardThroughTheDnsProvider() throws Exception {
        String name = PebbleFlow.uniqueName("acct");

        IssuanceResult result = issue(IssuanceRequest.builder().domains(name, "*." + name)
                .solvers(DnsAccount01Solver.using(new ChallengeTestDns(pebble.server().dns()))));

        assertThat(result.chain().leaf().getSubjectAlternativeNames()).hasSize(2);
    }

    @Test
    void dnsPersist01ProvesANameAndAWildcardWithRecordsThatStay() throws Exception {
        String name = PebbleFlow.uniqueName("persist");
        List<String> published = new ArrayList<>();
        ChallengeTestDns dns = new ChallengeTestDns(pebble.server().dns());
        dev.keyward.acme.DnsProvider recording = new dev.keyward.acme.DnsProvider() {
            @Override
            public void setTxt(String record, String value) {
                published.add(record + " " + value);
                dns.setTxt(record, value);
            }

            @Override
            public void removeTxt(String record, String value) {
                published.add("removed " + record);
                dns.removeTxt(record, value);
            }
        };

        IssuanceResult result = issue(IssuanceRequest.builder().domains("*." + name)
                .solvers(DnsPersist01Solver.using(recording)));

        assertThat(result.chain().leaf().getSubjectAlternativeNames()).hasSize(1);
        assertThat(published).singleElement().asString()
                .startsWith("_validation-persist." + name + " ")
                .contains("; accounturi=" + account.url())
                .endsWith("; policy=wildcard");
    }

    /**
     * Pebble indexes an order by its certificate's serial only after the certificate can be
     * downloaded (a goroutine in its finalize), so a renewal sent at once may name a certificate
     * Pebble cannot match yet; it answers serverInternal, and the flow renews without replaces.
     */
    private static final String PEBBLE_ORDER_INDEX_RACE = "could not find order resulting in the given certificate";

    private static IssuanceListener recording(List<String> retries) {
        return new IssuanceListener() {
            @Override
            public void retrying(String step, dev.keyward.acme.AcmeException failure, Duration wait) {
                retries.add(step + ": " + failure.getMessage());
            }
        };
    }

    private IssuanceResult issue(IssuanceRequest.Builder request) throws Exception {
        IssuanceRequest built = request.certificateKey(TestKeys.ecP256()).build();
        if (built.solvers().isEmpty()) {
            built = built.toBuilder().solvers(http).build();
        }
        return account.issue(built);
    }

    private static Path pebbleLog() {
        return pebble.server().workDirectory().resolve("pebble.log");
    }

    private static List<String> requestsSince(long mark) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(pebbleLog())) {
            in.skipNBytes(mark);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        Matcher m = REQUEST.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
