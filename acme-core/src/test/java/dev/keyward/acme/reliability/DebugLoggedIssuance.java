package dev.keyward.acme.reliability;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.Authorization;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Challenge;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.IssuanceListener;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.IssuanceResult;
import dev.keyward.acme.ExternalAccountBinding;
import dev.keyward.acme.Order;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.pebble.ChallengeTestDns;
import dev.keyward.acme.Signers;
import dev.keyward.acme.testkit.ChallengeTestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole issuance as an application runs it, for {@link KeyMaterialStaysHiddenAgainstPebbleTest}
 * to start in a JVM of its own whose logging is at DEBUG from the start. It registers with External
 * Account Binding (after two refused attempts: without a binding and with a wrong MAC key), creates
 * an order, is refused an early finalize, has the issuance flow finish that order over dns-01, rolls
 * the account key over, revokes and deactivates. Every refusal is logged with its stack trace, as an application would log it.
 *
 * <p>Arguments: the directory URL, the PEM file of the TLS trust anchor, challtestsrv's management
 * URL, and a folder holding {@code account}, {@code rollover} and {@code certificate} key pairs
 * ({@code NAME.key} PKCS#8, {@code NAME.pub} X.509, both DER, EC or RSA), {@code eab.kid},
 * {@code eab.mac} and {@code wrong.mac} (base64url). Prints {@link #DONE} at the end.
 */
public final class DebugLoggedIssuance {
    /** The last line of a run that got through every step. */
    static final String DONE = "debug-logged issuance done";

    private static final Logger LOG = LoggerFactory.getLogger(DebugLoggedIssuance.class);

    private DebugLoggedIssuance() {
    }

    public static void main(String[] args) throws Exception {
        URI directory = URI.create(args[0]);
        X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[1]))));
        ChallengeTestServer dns = ChallengeTestServer.of(URI.create(args[2]));
        Path keys = Path.of(args[3]);
        AcmeSigner accountKey = signer(keys, "account");
        AcmeSigner rolloverKey = signer(keys, "rollover");
        AcmeSigner certificateKey = signer(keys, "certificate");
        String kid = Files.readString(keys.resolve("eab.kid")).trim();
        ExternalAccountBinding binding = ExternalAccountBinding.of(kid, Files.readString(keys.resolve("eab.mac")));
        ExternalAccountBinding wrong = ExternalAccountBinding.of(kid, Files.readString(keys.resolve("wrong.mac")));

        try (AcmeClient client = AcmeClient.builder(directory).trustAnchors(List.of(anchor)).build()) {
            LOG.debug("client {}, account key {}, binding {}", client, accountKey, binding);
            refused(() -> client.newAccount(accountKey).agreeToTermsOfService().create());
            refused(() -> client.newAccount(accountKey).agreeToTermsOfService().externalAccountBinding(wrong).create());
            Account account = client.newAccount(accountKey).agreeToTermsOfService().externalAccountBinding(binding)
                    .create();
            LOG.debug("registered {}", account);

            String name = "debug-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
            Order order = account.newOrder().domains(name).create();
            refused(() -> order.finalizeWith(certificateKey));
            IssuanceResult issued = account.issue(IssuanceRequest.builder().domains(name).certificateKey(certificateKey)
                    .solvers(Dns01Solver.using(new ChallengeTestDns(dns))).resumeOrder(order.url())
                    .listener(new IssuanceListener() {
                        @Override
                        public void challengeAnswered(Challenge challenge) {
                            LOG.debug("answered {}", challenge);
                        }

                        @Override
                        public void authorizationValid(Authorization authorization) {
                            LOG.debug("authorized {}", authorization);
                        }
                    }).build());
            CertificateChain chain = issued.chain();
            LOG.debug("issued {} for {}", chain, issued.order());

            Account rolled = account.changeKey(rolloverKey);
            LOG.debug("rolled over to {}: {}", rolloverKey, rolled.fetch());
            refused(account::fetch);
            rolled.revoke(chain.leaf(), RevocationReason.KEY_COMPROMISE);
            refused(() -> {
                rolled.revoke(chain.leaf(), RevocationReason.KEY_COMPROMISE);
                return "revoked twice";
            });
            LOG.debug("deactivated {}", rolled.deactivate());
        }
        System.out.println(DONE);
    }

    /** A step expected to fail, logged the way an application logs a failure. */
    private interface Step {
        Object run() throws Exception;
    }

    private static void refused(Step step) {
        try {
            Object result = step.run();
            throw new IllegalStateException("expected a refusal, got " + result);
        } catch (AcmeException | IllegalArgumentException e) {
            LOG.debug("refused as expected: {}", e.toString(), e);
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure", e);
        }
    }

    private static AcmeSigner signer(Path folder, String name) throws IOException, GeneralSecurityException {
        KeyPair pair = readKeyPair(folder, name);
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }

    /** Reads {@code NAME.key} (PKCS#8) and {@code NAME.pub} (X.509), both DER, of an EC or RSA key. */
    static KeyPair readKeyPair(Path folder, String name) throws IOException, GeneralSecurityException {
        byte[] publicDer = Files.readAllBytes(folder.resolve(name + ".pub"));
        byte[] privateDer = Files.readAllBytes(folder.resolve(name + ".key"));
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicDer)),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer)));
            } catch (GeneralSecurityException e) {
                // not this algorithm
            }
        }
        throw new GeneralSecurityException(name + " is neither an EC nor an RSA key pair");
    }
}
