package dev.keyward.acme.pebble;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Dns01Challenge;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The issuance steps of RFC 8555 section 7.4 against the test kit's Pebble, for the tests. */
public final class PebbleFlow {
    /** How an authorization is answered. */
    public enum Method { HTTP01, DNS01 }

    private final PebbleServer pebble;

    public PebbleFlow(PebbleServer pebble) {
        this.pebble = pebble;
    }

    public AcmeClient client() {
        return AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
    }

    public static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }

    public Account register(AcmeClient client, AcmeSigner accountKey) throws AcmeException {
        return client.newAccount(accountKey).agreeToTermsOfService().create();
    }

    /** Answers one challenge of every pending authorization and waits for them all. */
    public void authorize(Order order, Method method) throws AcmeException, InterruptedException {
        for (Authorization authorization : order.fetchAuthorizations()) {
            if (authorization.status() == Status.VALID) {
                continue;
            }
            if (method == Method.HTTP01) {
                Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
                pebble.http01Responder().serve(challenge.tokenValue(), challenge.keyAuthorization());
                challenge.respond();
                pebble.http01Responder().awaitFetch(challenge.tokenValue(), Duration.ofSeconds(30));
            } else {
                Dns01Challenge challenge = authorization.challenge(Dns01Challenge.class).orElseThrow();
                pebble.dns().setTxt(challenge.recordName(), challenge.txtValue());
                challenge.respond();
            }
            authorization.awaitCompletion();
        }
    }

    public CertificateChain issue(Account account, List<String> names, Method method, AcmeSigner certificateKey)
            throws AcmeException, InterruptedException {
        Order order = account.newOrder().domains(names).create();
        authorize(order, method);
        Order done = order.finalizeWith(certificateKey).awaitCompletion();
        return done.downloadCertificate();
    }
}
