package dev.keyward.acme.pebble;

import static dev.keyward.acme.pebble.FlowAgainstPebbleTest.subjectNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.pebble.FlowAgainstPebbleTest.RecordingSolver;
import dev.keyward.acme.testkit.PebbleExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issuance flow against the test kit's default Pebble, which reuses a valid authorization for
 * half of the orders as Pebble does by default: whichever authorizations come back valid, every
 * issuance completes, proving exactly the names that were not reused.
 */
class FlowWithPebblesDefaultReuseAgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    @Test
    void repeatedIssuancesForTheSameNamesProveExactlyTheAuthorizationsThatWereNotReused() throws Exception {
        PebbleFlow flow = new PebbleFlow(pebble.server());
        List<String> names = List.of(PebbleFlow.uniqueName("half"), PebbleFlow.uniqueName("half"),
                PebbleFlow.uniqueName("half"));
        try (AcmeClient client = flow.client()) {
            Account account = flow.register(client, TestKeys.ecP256());
            int reusedInAll = 0;
            for (int i = 0; i < 5; i++) {
                RecordingSolver solver = new RecordingSolver(flow.solver(PebbleFlow.Method.HTTP01));

                IssuanceResult result = account.issue(IssuanceRequest.builder().domains(names)
                        .certificateKey(TestKeys.ecP256()).solvers(solver).build());

                assertThat(subjectNames(result.chain().leaf())).containsExactlyInAnyOrderElementsOf(names);
                assertThat(solver.deployed.size() + result.reusedAuthorizations()).as("issuance %d", i)
                        .isEqualTo(names.size());
                assertThat(solver.removed).containsExactlyInAnyOrderElementsOf(solver.deployed);
                reusedInAll += result.reusedAuthorizations();
            }
            System.out.printf("authorization reuse 50%%: %d of %d authorizations reused over 5 issuances%n",
                    reusedInAll, 5 * names.size());
        }
    }
}
