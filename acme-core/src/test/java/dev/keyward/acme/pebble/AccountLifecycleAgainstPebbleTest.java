package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeAlreadyRevokedException;
import dev.keyward.acme.AcmeNotSupportedException;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.AcmeUnauthorizedException;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Status;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8555 sections 7.1.2.1, 7.3.5, 7.3.6, 7.5.2 and 7.6 against a real Pebble. */
class AccountLifecycleAgainstPebbleTest extends AgainstPebble {
    @Test
    void afterKeyRolloverTheOldKeyIsRefusedAndTheNewKeySeesTheSameAccountAndOrders() throws Exception {
        AcmeSigner oldKey = TestKeys.ecP256();
        AcmeSigner newKey = TestKeys.rsa2048();
        Account account = flow.register(client, oldKey);
        Order order = account.newOrder().domains(PebbleFlow.uniqueName("roll")).create();

        Account rolled = account.changeKey(newKey);

        assertThat(rolled.url()).isEqualTo(account.url());
        assertThat(rolled.signer()).isSameAs(newKey);
        assertThat(flow.client().findAccount(newKey).url()).isEqualTo(account.url());
        assertThat(rolled.fetchOrderUrls()).contains(order.url());
        assertThatThrownBy(() -> flow.client().findAccount(oldKey))
                .isInstanceOfSatisfying(AcmeServerException.class,
                        e -> assertThat(e.problem().isAcmeError("accountDoesNotExist")).isTrue());
        assertThatThrownBy(() -> flow.client().fetchAccount(account.url(), oldKey))
                .isInstanceOf(AcmeServerException.class);
    }

    @Test
    void aKeyCanBeRolledOverAndBackAgain() throws Exception {
        AcmeSigner first = TestKeys.ecP384();
        Account account = flow.register(client, first);

        Account back = account.changeKey(TestKeys.ecP256()).changeKey(first);

        assertThat(flow.client().findAccount(first).url()).isEqualTo(back.url());
    }

    @Test
    void aDeactivatedAccountIsRefusedAsUnauthorized() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());

        Account deactivated = account.deactivate();

        assertThat(deactivated.status()).isEqualTo(Status.DEACTIVATED);
        assertThatThrownBy(() -> account.newOrder().domains(PebbleFlow.uniqueName("dead")).create())
                .isInstanceOf(AcmeUnauthorizedException.class);
    }

    @Test
    void authorizationsAreDeactivatedOneByOneOrPerOrder() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        Order single = account.newOrder().domains(PebbleFlow.uniqueName("one")).create();
        Order both = account.newOrder().domains(PebbleFlow.uniqueName("a"), PebbleFlow.uniqueName("b")).create();

        Authorization one = single.fetchAuthorizations().get(0).deactivate();
        List<Authorization> all = both.deactivateAuthorizations();

        assertThat(one.status()).isEqualTo(Status.DEACTIVATED);
        assertThat(one.fetch().status()).isEqualTo(Status.DEACTIVATED);
        assertThat(all).hasSize(2).allSatisfy(a -> assertThat(a.status()).isEqualTo(Status.DEACTIVATED));
    }

    @Test
    void deactivatingAnOrdersAuthorizationsTwiceReportsThemDeactivatedWithoutFailing() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        Order order = account.newOrder().domains(PebbleFlow.uniqueName("twice")).create();
        order.deactivateAuthorizations();

        List<Authorization> again = order.deactivateAuthorizations();

        assertThat(again).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(Status.DEACTIVATED));
    }

    @Test
    void theOrdersListFollowsEveryPage() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        List<URI> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(account.newOrder().domains(PebbleFlow.uniqueName("page" + i)).create().url());
        }

        List<URI> listed = account.fetch().fetchOrderUrls();

        assertThat(listed).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void aCertificateIsRevokedWithTheAccountKeyAndASecondRevocationIsAlreadyRevoked() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName("revoke")),
                PebbleFlow.Method.HTTP01, TestKeys.ecP256());

        account.revoke(chain.leaf(), RevocationReason.SUPERSEDED);

        assertThat(pebble.server().isRevoked(chain.leaf().getSerialNumber())).isTrue();
        assertThatThrownBy(() -> account.revoke(chain.leaf(), null)).isInstanceOf(AcmeAlreadyRevokedException.class);
    }

    @Test
    void aCertificateIsRevokedWithItsOwnKeyWithoutAnAccount() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        AcmeSigner certificateKey = TestKeys.rsa2048();
        CertificateChain chain = flow.issue(account, List.of(PebbleFlow.uniqueName("self")),
                PebbleFlow.Method.HTTP01, certificateKey);

        flow.client().revoke(chain.leaf(), certificateKey, RevocationReason.KEY_COMPROMISE);

        assertThat(pebble.server().isRevoked(chain.leaf().getSerialNumber())).isTrue();
        assertThat(pebble.server().certificateStatus(chain.leaf().getSerialNumber())).contains("\"Reason\": 1");
    }

    @Test
    void preAuthorizationIsAClearErrorWhenTheCaDoesNotOfferIt() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());

        assertThatThrownBy(() -> account.preAuthorize(Identifier.dns("pre.keyward.test")))
                .isInstanceOf(AcmeNotSupportedException.class).hasMessageContaining("newAuthz");
    }
}
