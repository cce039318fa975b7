package dev.keyward.acme.pebble;

import static dev.keyward.acme.pebble.FlowAgainstPebbleTest.subjectNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.pebble.FlowAgainstPebbleTest.RecordingSolver;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issuance flow against a Pebble that always reuses an account's valid authorizations (RFC 8555
 * section 7.4: a new order may come with authorizations that are valid already): the flow answers
 * no challenge for them and says how many it reused.
 */
class FlowWithAuthorizationReuseAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(100)).build();

    private PebbleFlow flow;
    private AcmeClient client;
    private Account account;

    @BeforeEach
    void register() throws Exception {
        flow = new PebbleFlow(pebble.server());
        client = flow.client();
        account = flow.register(client, TestKeys.ecP256());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void aSecondIssuanceForTheSameNamesReusesEveryAuthorizationAndAnswersNoChallenge() throws Exception {
        List<String> names = List.of(PebbleFlow.uniqueName("again"), PebbleFlow.uniqueName("again"));
        RecordingSolver first = new RecordingSolver(flow.solver(PebbleFlow.Method.HTTP01));
        RecordingSolver second = new RecordingSolver(flow.solver(PebbleFlow.Method.HTTP01));

        IssuanceResult fresh = account.issue(IssuanceRequest.builder().domains(names)
                .certificateKey(TestKeys.ecP256()).solvers(first).build());
        IssuanceResult reused = account.issue(IssuanceRequest.builder().domains(names)
                .certificateKey(TestKeys.ecP256()).solvers(second).build());

        assertThat(fresh.reusedAuthorizations()).isZero();
        assertThat(first.deployed).hasSize(2);
        assertThat(reused.reusedAuthorizations()).isEqualTo(2);
        assertThat(second.deployed).as("challenges deployed for the second order").isEmpty();
        assertThat(reused.order().url()).isNotEqualTo(fresh.order().url());
        assertThat(subjectNames(reused.chain().leaf())).containsExactlyInAnyOrderElementsOf(names);
        assertThat(reused.chain().leaf().getSerialNumber()).isNotEqualTo(fresh.chain().leaf().getSerialNumber());
    }

    @Test
    void authorizationsDeactivatedAfterAnIssuanceAreNotReusedByTheNext() throws Exception {
        List<String> names = List.of(PebbleFlow.uniqueName("deactivated"));
        RecordingSolver second = new RecordingSolver(flow.solver(PebbleFlow.Method.HTTP01));

        account.issue(flow.request(names, PebbleFlow.Method.HTTP01, TestKeys.ecP256())
                .deactivateAuthorizations(true).build());
        IssuanceResult next = account.issue(IssuanceRequest.builder().domains(names)
                .certificateKey(TestKeys.ecP256()).solvers(second).build());

        assertThat(next.reusedAuthorizations()).isZero();
        assertThat(second.deployed).hasSize(1);
    }
}
