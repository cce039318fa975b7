package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.ContainmentReport.Outcome;
import dev.keyward.acme.ContainmentReport.Step;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Status;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Containment of a compromised account key against a real Pebble. */
class ContainmentAgainstPebbleTest extends AgainstPebble {
    /** An account with one issued certificate (valid authorizations) and one pending order. */
    private Fixture compromisedAccount(AcmeSigner key) throws Exception {
        Account account = flow.register(client, key);
        CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName("issued")),
                PebbleFlow.Method.HTTP01, TestKeys.ecP256());
        Order pending = account.newOrder().domains(PebbleFlow.uniqueName("pending")).create();
        List<URI> authorizations = new ArrayList<>(pending.authorizationUrls());
        for (URI orderUrl : account.fetchOrderUrls()) {
            for (URI authz : account.fetchOrder(orderUrl).authorizationUrls()) {
                if (!authorizations.contains(authz)) {
                    authorizations.add(authz);
                }
            }
        }
        return new Fixture(account, chain, authorizations);
    }

    private static final class Fixture {
        final Account account;
        final CertificateChain chain;
        final List<URI> authorizations;

        Fixture(Account account, CertificateChain chain, List<URI> authorizations) {
            this.account = account;
            this.chain = chain;
            this.authorizations = authorizations;
        }
    }

    @Test
    void containmentWithDeactivationLeavesNothingAStolenKeyCanUse() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Fixture fixture = compromisedAccount(key);

        ContainmentReport report = Containment.builder(flow.client(), key)
                .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount().build().run();

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(report.unrevokedCertificates()).isEmpty();
        assertThat(report.items()).extracting(ContainmentReport.Item::step).containsSubsequence(Step.ORDERS_LIST,
                Step.CERTIFICATE_REVOCATION, Step.AUTHORIZATION_DEACTIVATION, Step.ACCOUNT_DEACTIVATION);
        assertThat(report.items(Step.AUTHORIZATION_DEACTIVATION)).hasSize(2)
                .allSatisfy(i -> assertThat(i.outcome()).isEqualTo(Outcome.DONE))
                .allSatisfy(i -> assertThat(i.detail()).endsWith("now deactivated"));
        assertThat(report.items(Step.AUTHORIZATION_DEACTIVATION)).extracting(i -> i.target().orElseThrow())
                .containsExactlyInAnyOrderElementsOf(fixture.authorizations);
        assertThat(report.items(Step.CERTIFICATE_REVOCATION)).singleElement()
                .satisfies(i -> assertThat(i.outcome()).isEqualTo(Outcome.DONE));
        assertThat(pebble.server().isRevoked(fixture.chain.leaf().getSerialNumber())).isTrue();
        assertThat(report.account().orElseThrow().status()).isEqualTo(Status.DEACTIVATED);
        assertThatThrownBy(() -> fixture.account.newOrder().domains(PebbleFlow.uniqueName("after")).create())
                .isInstanceOf(AcmeUnauthorizedException.class);
    }

    @Test
    void containmentWithRolloverDeactivatesEveryAuthorizationAndLocksTheOldKeyOut() throws Exception {
        AcmeSigner oldKey = TestKeys.ecP256();
        AcmeSigner newKey = TestKeys.ecP384();
        Fixture fixture = compromisedAccount(oldKey);

        ContainmentReport report = Containment.builder(flow.client(), oldKey).rolloverTo(newKey).build().run();

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.complete()).as(report.toString()).isTrue();
        Account rolled = flow.client().findAccount(newKey);
        assertThat(rolled.url()).isEqualTo(fixture.account.url());
        for (URI authz : fixture.authorizations) {
            Authorization authorization = rolled.fetchAuthorization(authz);
            assertThat(authorization.status()).as(authz.toString()).isEqualTo(Status.DEACTIVATED);
        }
        assertThat(pebble.server().isRevoked(fixture.chain.leaf().getSerialNumber())).isFalse();
        assertThatThrownBy(() -> flow.client().findAccount(oldKey)).isInstanceOf(AcmeServerException.class);
    }

    @Test
    void runningContainmentAgainCountsWhatWasDoneAsDoneAndFinishesTheRest() throws Exception {
        AcmeSigner oldKey = TestKeys.ecP256();
        AcmeSigner newKey = TestKeys.ecP256();
        Fixture fixture = compromisedAccount(oldKey);
        fixture.account.fetchAuthorization(fixture.authorizations.get(0)).deactivate();
        fixture.account.revoke(fixture.chain.leaf(), null);

        ContainmentReport first = Containment.builder(flow.client(), oldKey)
                .revokeCertificates(null).rolloverTo(newKey).build().run();
        ContainmentReport second = Containment.builder(flow.client(), oldKey)
                .revokeCertificates(null).rolloverTo(newKey).build().run();

        assertThat(first.complete()).as(first.toString()).isTrue();
        // Pebble 2.10 makes an order invalid once one of its authorizations is deactivated and leaves
        // invalid orders out of the orders list (RFC 8555 section 7.1.2.1: SHOULD NOT include them;
        // 2.4 listed such an order as "deactivated"). So containment no longer sees an authorization
        // that was deactivated before: what it finds is the issued order's, which it deactivates.
        assertThat(first.items(Step.AUTHORIZATION_DEACTIVATION)).as(first.toString()).singleElement()
                .satisfies(i -> {
                    assertThat(i.outcome()).isEqualTo(Outcome.DONE);
                    assertThat(i.target()).contains(fixture.authorizations.get(1));
                });
        // Pebble 2.10 still serves a revoked certificate (2.4 answered 404) and refuses a second
        // revocation with alreadyRevoked.
        assertThat(first.items(Step.CERTIFICATE_REVOCATION)).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Outcome.ALREADY_DONE);
            assertThat(i.detail()).isEqualTo("serial " + fixture.chain.leaf().getSerialNumber().toString(16));
        });
        assertThat(second.complete()).as(second.toString()).isTrue();
        assertThat(second.items(Step.KEY_ROLLOVER)).extracting(ContainmentReport.Item::outcome)
                .containsExactly(Outcome.ALREADY_DONE);
        // Every order has a deactivated authorization now, so the orders list is empty (see above).
        assertThat(second.items(Step.ORDERS_LIST)).singleElement()
                .satisfies(i -> assertThat(i.detail()).isEqualTo("0 orders"));
        assertThat(second.items(Step.AUTHORIZATION_DEACTIVATION)).isEmpty();
        for (URI authz : fixture.authorizations) {
            assertThat(flow.client().findAccount(newKey).fetchAuthorization(authz).status()).as(authz.toString())
                    .isEqualTo(Status.DEACTIVATED);
        }
    }

    @Test
    void containingAnAccountThatIsDeactivatedAlreadyCountsAsDone() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        flow.register(client, key).deactivate();

        ContainmentReport report = Containment.builder(flow.client(), key).deactivateAccount().build().run();

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(report.items()).singleElement().satisfies(i -> {
            assertThat(i.step()).isEqualTo(Step.ACCOUNT_DEACTIVATION);
            assertThat(i.outcome()).isEqualTo(Outcome.ALREADY_DONE);
        });
    }

    @Test
    void aRerunAfterDeactivationCountsTheDeactivationAsDoneButNotTheRevocationsItCanNoLongerCheck() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        compromisedAccount(key);
        Containment containment = Containment.builder(flow.client(), key)
                .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount().build();
        ContainmentReport first = containment.run();

        ContainmentReport rerun = containment.run();

        assertThat(first.complete()).as(first.toString()).isTrue();
        assertThat(rerun.complete()).as(rerun.toString()).isFalse();
        assertThat(rerun.allCertificatesKnown()).isFalse();
        assertThat(rerun.items()).extracting(ContainmentReport.Item::step, ContainmentReport.Item::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Step.ACCOUNT_DEACTIVATION, Outcome.ALREADY_DONE),
                        org.assertj.core.groups.Tuple.tuple(Step.ORDERS_LIST, Outcome.UNKNOWN),
                        org.assertj.core.groups.Tuple.tuple(Step.CERTIFICATE_REVOCATION, Outcome.UNKNOWN));
    }

    @Test
    void aKeyWithoutAnyAccountIsAFailureInTheReport() {
        ContainmentReport report = Containment.builder(client, TestKeys.ecP256()).rolloverTo(TestKeys.ecP256())
                .build().run();

        assertThat(report.succeeded()).isFalse();
        assertThat(report.complete()).isFalse();
        assertThat(report.items()).singleElement().satisfies(i -> {
            assertThat(i.step()).isEqualTo(Step.ACCOUNT_LOOKUP);
            assertThat(i.problem().orElseThrow().isAcmeError("accountDoesNotExist")).isTrue();
        });
    }
}
