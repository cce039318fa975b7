package dev.keyward.acme.kms.aws;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Http01Challenge;
import dev.keyward.acme.Order;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.PebbleServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Issuance over http-01 (RFC 8555 sections 7.4 and 8.3) against the test kit's Pebble. */
final class KmsPebbleFlow {
    private final PebbleServer pebble;

    KmsPebbleFlow(PebbleServer pebble) {
        this.pebble = pebble;
    }

    AcmeClient client() {
        return AcmeClient.builder(pebble.directoryUri()).trustAnchors(pebble.trustAnchors()).build();
    }

    static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".kms.keyward.test";
    }

    Account register(AcmeClient client, AcmeSigner accountKey) throws AcmeException {
        return client.newAccount(accountKey).agreeToTermsOfService().create();
    }

    /** Orders the names, answers http-01 for each pending authorization, finalizes and downloads. */
    CertificateChain issue(Account account, List<String> names, AcmeSigner certificateKey)
            throws AcmeException, InterruptedException {
        Order order = account.newOrder().domains(names).create();
        for (Authorization authorization : order.fetchAuthorizations()) {
            if (authorization.status() == Status.VALID) {
                continue;
            }
            Http01Challenge challenge = authorization.challenge(Http01Challenge.class).orElseThrow();
            pebble.http01Responder().serve(challenge.tokenValue(), challenge.keyAuthorization());
            challenge.respond();
            if (!pebble.http01Responder().awaitFetch(challenge.tokenValue(), Duration.ofSeconds(30))) {
                throw new IllegalStateException("Pebble never fetched " + challenge.tokenValue());
            }
            authorization.awaitCompletion();
        }
        return order.finalizeWith(certificateKey).awaitCompletion().downloadCertificate();
    }
}
