package dev.keyward.acme.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.Directory;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Identifier;
import dev.keyward.acme.Order;
import dev.keyward.acme.Problem;
import dev.keyward.acme.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8555 sections 7.1.1, 7.3 and 6.7 against a real Pebble: directory, accounts, errors. */
class AccountsAndErrorsAgainstPebbleTest extends AgainstPebble {
    @Test
    void theDirectoryNamesEveryResourceAndTheTermsOfService() throws Exception {
        Directory directory = client.fetchDirectory();

        assertThat(directory.newNonce().toString()).startsWith("https://");
        assertThat(directory.newAccount()).isNotNull();
        assertThat(directory.newOrder()).isNotNull();
        assertThat(directory.revokeCert()).isPresent();
        assertThat(directory.keyChange()).isPresent();
        assertThat(directory.newAuthz()).isEmpty();
        assertThat(directory.meta().termsOfService()).isPresent();
        assertThat(directory.meta().externalAccountRequired()).isFalse();
        assertThat(client.fetchDirectory()).isSameAs(directory);
    }

    @Test
    void aNewAccountCarriesItsContactsAndIsValid() throws Exception {
        Account account = client.newAccount(TestKeys.ecP256()).contact("mailto:ops@keyward.test")
                .agreeToTermsOfService().create();

        assertThat(account.status()).isEqualTo(Status.VALID);
        assertThat(account.contacts()).containsExactly("mailto:ops@keyward.test");
        assertThat(account.url().toString()).startsWith("https://");
    }

    @Test
    void anExistingAccountIsFoundByItsKey() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Account created = flow.register(client, key);

        Account found = flow.client().findAccount(key);

        assertThat(found.url()).isEqualTo(created.url());
    }

    @Test
    void registeringTheSameKeyAgainReturnsTheSameAccount() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Account first = flow.register(client, key);

        Account second = flow.register(client, key);

        assertThat(second.url()).isEqualTo(first.url());
    }

    @Test
    void aKeyWithoutAccountIsReportedAsAccountDoesNotExist() {
        assertThatThrownBy(() -> client.findAccount(TestKeys.ecP256()))
                .isInstanceOfSatisfying(AcmeServerException.class,
                        e -> assertThat(e.problem().isAcmeError("accountDoesNotExist")).isTrue());
    }

    @Test
    void anAccountIsResumedFromItsUrlAndItsContactsUpdated() throws Exception {
        AcmeSigner key = TestKeys.ecP256();
        Account created = flow.register(client, key);

        Account resumed = flow.client().fetchAccount(created.url(), key);
        Account updated = resumed.updateContacts(List.of("mailto:new@keyward.test"));

        assertThat(resumed.url()).isEqualTo(created.url());
        assertThat(updated.contacts()).containsExactly("mailto:new@keyward.test");
        assertThat(updated.fetch().contacts()).containsExactly("mailto:new@keyward.test");
    }

    @Test
    void aFailedChallengeSurfacesPebblesProblemDocument() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());
        Order order = account.newOrder().domains(PebbleFlow.uniqueName("fail")).create();
        Authorization authorization = order.fetchAuthorizations().get(0);
        Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
        pebble.server().http01Responder().serve(challenge.tokenValue(), "not-the-key-authorization");

        challenge.respond();

        assertThatThrownBy(authorization::awaitCompletion)
                .isInstanceOfSatisfying(AcmeServerException.class, e -> {
                    Problem problem = e.problem();
                    assertThat(problem.type().toString()).startsWith("urn:ietf:params:acme:error:");
                    assertThat(problem.detail()).isPresent();
                    assertThat(e.getMessage()).contains(problem.detail().get());
                });
        assertThat(authorization.fetch().status()).isEqualTo(Status.INVALID);
    }

    @Test
    void anOrderForAnIdentifierTypePebbleDoesNotSupportIsRefusedWithItsProblem() throws Exception {
        Account account = flow.register(client, TestKeys.ecP256());

        assertThatThrownBy(() -> account.newOrder().identifier(Identifier.of("email", "ops@keyward.test")).create())
                .isInstanceOfSatisfying(AcmeServerException.class, e -> {
                    assertThat(e.problem().type().toString()).startsWith("urn:ietf:params:acme:error:");
                    assertThat(e.problem().status()).hasValue(400);
                });
    }
}
