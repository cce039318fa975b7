package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DNS challenges of the drafts: dns-account-01 (draft-ietf-acme-dns-account-label) and
 * dns-persist-01 (draft-ietf-acme-dns-persist), their record names and values, and their solvers.
 */
class DnsAccountAndPersistChallengeTest {
    @RegisterExtension
    static final FakeAcmeServer acme = new FakeAcmeServer();

    private static final String AUTHZ = "/authZ/PAniVnsZcis";

    @Test
    void theAccountLabelIsTheBase32OfTheFirstTenBytesOfTheAccountUrlsDigest() {
        assertThat(DnsAccount01Challenge.accountLabel("https://example.com/acme/acct/ExampleAccount"))
                .isEqualTo("_ujmmovf2vn55tgye");
    }

    @Test
    void aDnsAccount01RecordCarriesTheAccountLabelAndTheDns01Digest() throws Exception {
        Authorization authorization = authorization(false, challenges -> challenges.addObject()
                .put("type", "dns-account-01").put("url", "https://localhost:14000/chalZ/acct")
                .put("status", "pending").put("token", "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"));
        DnsAccount01Challenge challenge = authorization.challenge(DnsAccount01Challenge.class).orElseThrow();

        String label = DnsAccount01Challenge.accountLabel(acme.url(FakeAcmeServer.ACCOUNT).toString());
        assertThat(challenge.recordName()).isEqualTo(label + "._acme-challenge.www.example.org");
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(challenge.keyAuthorization().getBytes(StandardCharsets.US_ASCII));
        assertThat(challenge.txtValue()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
    }

    @Test
    void aDnsPersist01RecordNamesTheIssuerDomainAndTheAccount() throws Exception {
        DnsPersist01Challenge challenge = persist(false);

        assertThat(challenge.recordName()).isEqualTo("_validation-persist.www.example.org");
        assertThat(challenge.issuerDomainNames()).containsExactly("ca.example", "other.example");
        assertThat(challenge.txtValue()).isEqualTo("ca.example; accounturi=" + acme.url(FakeAcmeServer.ACCOUNT));
        assertThat(challenge.txtValue(Instant.ofEpochSecond(1_900_000_000)))
                .isEqualTo("ca.example; accounturi=" + acme.url(FakeAcmeServer.ACCOUNT) + "; persistUntil=1900000000");
    }

    @Test
    void aWildcardAuthorizationsDnsPersist01RecordAllowsWildcards() throws Exception {
        DnsPersist01Challenge challenge = persist(true);

        assertThat(challenge.isWildcard()).isTrue();
        assertThat(challenge.recordName()).isEqualTo("_validation-persist.www.example.org");
        assertThat(challenge.txtValue()).endsWith("; policy=wildcard");
    }

    @Test
    void aDraftChallengeOfAnotherShapeIsKeptAsAPlainChallengeSoTheAuthorizationStillParses() throws Exception {
        Authorization authorization = authorization(false, challenges -> challenges.addObject()
                .put("type", "dns-persist-01").put("url", "https://localhost:14000/chalZ/persist")
                .put("status", "pending"));

        assertThat(authorization.challenge(DnsPersist01Challenge.class)).isEmpty();
        assertThat(authorization.challenge("dns-persist-01")).isPresent();
        assertThat(authorization.challenge(Http01Challenge.class)).isPresent();
    }

    @Test
    void thePersistentRecordStaysAfterValidationUnlessAskedToGo() throws Exception {
        DnsPersist01Challenge challenge = persist(false);
        RecordingDns dns = new RecordingDns();

        DnsPersist01Solver keeping = DnsPersist01Solver.using(dns);
        keeping.deploy(challenge);
        keeping.remove(challenge);
        DnsPersist01Solver.using(dns).removeAfterValidation(true).remove(challenge);

        assertThat(dns.calls).containsExactly(
                "set _validation-persist.www.example.org " + challenge.txtValue(),
                "remove _validation-persist.www.example.org " + challenge.txtValue());
    }

    @Test
    void aProviderThatRefusesIsATypedSolverError() throws Exception {
        DnsPersist01Challenge challenge = persist(false);
        DnsProvider refusing = new DnsProvider() {
            @Override
            public void setTxt(String name, String value) throws Exception {
                throw new java.io.IOException("zone is read-only");
            }

            @Override
            public void removeTxt(String name, String value) {
            }
        };

        assertThatThrownBy(() -> DnsPersist01Solver.using(refusing).deploy(challenge))
                .isInstanceOf(AcmeSolverException.class).hasMessageContaining("zone is read-only")
                .hasMessageContaining("_validation-persist.www.example.org");
    }

    private static DnsPersist01Challenge persist(boolean wildcard) throws AcmeException {
        return authorization(wildcard, challenges -> {
            ObjectNode challenge = challenges.addObject().put("type", "dns-persist-01")
                    .put("url", "https://localhost:14000/chalZ/persist").put("status", "pending");
            challenge.putArray("issuer-domain-names").add("ca.example").add("other.example");
        }).challenge(DnsPersist01Challenge.class).orElseThrow();
    }

    private static Authorization authorization(boolean wildcard, Consumer<ArrayNode> addChallenge) throws AcmeException {
        acme.stubBasics();
        acme.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(AUTHZ)).willReturn(FakeAcmeServer.json(200,
                acme.fixture("authz-pending.json", json -> {
                    if (wildcard) {
                        json.put("wildcard", true);
                    }
                    addChallenge.accept(json.withArray("challenges"));
                }))));
        Account account = acme.account(acme.client(), TestKeys.EC_P256.signer());
        return account.fetchAuthorization(acme.url(AUTHZ));
    }

    /** A DNS provider that records its calls. */
    private static final class RecordingDns implements DnsProvider {
        final List<String> calls = new ArrayList<>();

        @Override
        public void setTxt(String name, String value) {
            calls.add("set " + name + " " + value);
        }

        @Override
        public void removeTxt(String name, String value) {
            calls.add("remove " + name + " " + value);
        }
    }
}
