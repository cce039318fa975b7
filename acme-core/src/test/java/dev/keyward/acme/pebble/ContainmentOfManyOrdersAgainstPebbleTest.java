package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Containment;
import dev.keyward.acme.ContainmentReport;
import dev.keyward.acme.ContainmentReport.Item;
import dev.keyward.acme.ContainmentReport.Outcome;
import dev.keyward.acme.ContainmentReport.Step;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Containment} of an account with many orders sends its requests concurrently (16 at once
 * here), and its report still accounts for every one: each order fetched, each certificate
 * revoked, each authorization deactivated, and the account deactivated last. The time such a run
 * takes is measured by the benchmarks, not here.
 */
class ContainmentOfManyOrdersAgainstPebbleTest extends AgainstPebble {
    private static final int ISSUED = 10;
    private static final int PENDING = 40;

    @Test
    void everyCertificateAndEveryAuthorizationOfFiftyOrdersIsDealtWithBeforeTheAccountIsDeactivated()
            throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Account account = flow.register(client, key);
        List<BigInteger> serials = new ArrayList<>();
        List<URI> authorizations = new ArrayList<>();
        for (int i = 0; i < ISSUED; i++) {
            CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName("issued" + i)),
                    PebbleFlow.Method.HTTP01, TestKeys.ecP256());
            serials.add(chain.leaf().getSerialNumber());
        }
        for (int i = 0; i < PENDING; i++) {
            Order pending = account.newOrder().domains(PebbleFlow.uniqueName("pending" + i)).create();
            authorizations.addAll(pending.authorizationUrls());
        }
        List<URI> orders = account.fetchOrderUrls();
        for (URI order : orders) {
            for (URI authorization : account.fetchOrder(order).authorizationUrls()) {
                if (!authorizations.contains(authorization)) {
                    authorizations.add(authorization);
                }
            }
        }
        assertThat(orders).hasSize(ISSUED + PENDING);
        Set<URI> ordersSeen = ConcurrentHashMap.newKeySet();
        List<String> listenerThreads = new ArrayList<>();

        ContainmentReport report = Containment.builder(flow.client(), key).concurrency(16)
                .revokeCertificates(RevocationReason.KEY_COMPROMISE).deactivateAccount()
                .listener(new Containment.Listener() {
                    @Override
                    public void orderFound(Order order) {
                        ordersSeen.add(order.url());
                        listenerThreads.add(Thread.currentThread().getName());
                    }
                }).build().run();

        assertThat(report.succeeded()).as(report.toString()).isTrue();
        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(ordersSeen).containsExactlyInAnyOrderElementsOf(orders);
        assertThat(listenerThreads).as("the listener is called on the thread that runs the containment")
                .containsOnly(Thread.currentThread().getName());
        assertThat(report.items(Step.ORDER)).as("no order failed to be fetched").isEmpty();
        assertThat(report.items(Step.CERTIFICATE_REVOCATION)).hasSize(ISSUED)
                .allSatisfy(i -> assertThat(i.outcome()).isEqualTo(Outcome.DONE));
        for (BigInteger serial : serials) {
            assertThat(pebble.server().isRevoked(serial)).as("serial %x", serial).isTrue();
        }
        assertThat(report.items(Step.AUTHORIZATION_DEACTIVATION)).hasSize(authorizations.size())
                .allSatisfy(i -> assertThat(i.outcome()).as(i.toString()).isEqualTo(Outcome.DONE));
        assertThat(report.items(Step.AUTHORIZATION_DEACTIVATION)).extracting(i -> i.target().orElseThrow())
                .containsExactlyInAnyOrderElementsOf(authorizations);
        assertThat(report.items()).extracting(Item::step).last().isEqualTo(Step.ACCOUNT_DEACTIVATION);
        assertThat(report.items(Step.ACCOUNT_DEACTIVATION)).singleElement()
                .satisfies(i -> assertThat(i.outcome()).isEqualTo(Outcome.DONE));
        assertThatThrownBy(() -> account.newOrder().domains(PebbleFlow.uniqueName("after")).create())
                .isInstanceOf(AcmeUnauthorizedException.class);
    }
}
