package dev.keyward.acme.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.acme.Account;
import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeServerException;
import dev.keyward.acme.AcmeSigner;
import dev.keyward.acme.CertificateChain;
import dev.keyward.acme.Dns01Solver;
import dev.keyward.acme.DnsProvider;
import dev.keyward.acme.IssuanceRequest;
import dev.keyward.acme.RevocationReason;
import dev.keyward.acme.Signers;
import dev.keyward.acme.Status;
import dev.keyward.acme.testkit.ChallengeTestServer;
import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.SoftHsmToken;
import dev.keyward.acme.testkit.SoftHsmToken.KeySpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 8555 against a real Pebble with keys that never leave a SoftHSM2 token: the account key (every
 * JWS, section 6.2), the certificate key (the CSR, section 7.4), key rollover (section 7.3.5) and
 * revocation (section 7.6). Every issuance runs through the flow ({@code Account.issue}).
 */
class Pkcs11AgainstPebbleTest {
    @RegisterExtension
    static PebbleExtension pebble = new PebbleExtension();

    private static SoftHsmToken token;
    private static Pkcs11KeyStore store;
    private AcmeClient client;

    @BeforeAll
    static void openToken() throws Exception {
        token = SoftHsmToken.primary();
        token.key("pebble-account", KeySpec.EC_P256);
        token.key("pebble-certificate", KeySpec.EC_P384);
        token.key("pebble-revoked", KeySpec.RSA_2048);
        token.key("pebble-rollover", KeySpec.RSA_2048);
        store = TestTokens.open(token);
    }

    @AfterAll
    static void closeToken() {
        store.close();
    }

    @BeforeEach
    void connect() {
        client = AcmeClient.builder(pebble.server().directoryUri()).trustAnchors(pebble.server().trustAnchors()).build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void anAccountKeyInTheTokenRegistersOrdersAndGetsACertificate() throws Exception {
        AcmeSigner accountKey = TestTokens.keytoolKey(store, "pebble-account");
        String name = uniqueName("account");

        Account account = client.newAccount(accountKey).agreeToTermsOfService().create();
        CertificateChain chain = issue(account, name, softwareKey());

        assertThat(account.status()).isEqualTo(Status.VALID);
        assertThat(client.findAccount(accountKey).url()).isEqualTo(account.url());
        assertThat(chain.leaf().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                .containsExactly(name);
        chain.leaf().verify(chain.issuers().get(0).getPublicKey());
    }

    @Test
    void aCertificateKeyThatNeverLeavesTheTokenSignsTheCsrAndIsCertified() throws Exception {
        PublicKey tokenKey = token.key("pebble-certificate", KeySpec.EC_P384);
        Account account = client.newAccount(softwareKey()).agreeToTermsOfService().create();

        CertificateChain chain = issue(account, uniqueName("csr"), TestTokens.keytoolKey(store, "pebble-certificate"));

        assertThat(chain.leaf().getPublicKey()).isEqualTo(tokenKey);
    }

    @Test
    void aCertificateIsRevokedByARequestSignedWithItsKeyInTheToken() throws Exception {
        AcmeSigner certificateKey = TestTokens.keytoolKey(store, "pebble-revoked");
        Account account = client.newAccount(softwareKey()).agreeToTermsOfService().create();
        CertificateChain chain = issue(account, uniqueName("revoke"), certificateKey);

        client.revoke(chain.leaf(), certificateKey, RevocationReason.KEY_COMPROMISE);

        assertThat(pebble.server().isRevoked(chain.leaf().getSerialNumber())).isTrue();
        assertThat(pebble.server().certificateStatus(chain.leaf().getSerialNumber())).contains("\"Reason\": 1");
    }

    @Test
    void aCertificateIsRevokedByARequestSignedWithTheAccountKeyInTheToken() throws Exception {
        Account account = client.newAccount(TestTokens.keytoolKey(store, "pebble-account")).agreeToTermsOfService().create();
        CertificateChain chain = issue(account, uniqueName("revoke-account"), softwareKey());

        account.revoke(chain.leaf(), RevocationReason.SUPERSEDED);

        assertThat(pebble.server().isRevoked(chain.leaf().getSerialNumber())).isTrue();
    }

    @Test
    void theAccountKeyRollsOverFromASoftwareKeyToTheTokenAndBack() throws Exception {
        AcmeSigner softwareKey = softwareKey();
        AcmeSigner tokenKey = TestTokens.keytoolKey(store, "pebble-rollover");
        Account account = client.newAccount(softwareKey).agreeToTermsOfService().create();

        Account inToken = account.changeKey(tokenKey);

        assertThat(client.findAccount(tokenKey).url()).isEqualTo(account.url());
        assertThatThrownBy(() -> client.findAccount(softwareKey))
                .isInstanceOfSatisfying(AcmeServerException.class,
                        e -> assertThat(e.problem().isAcmeError("accountDoesNotExist")).isTrue());
        assertThat(issue(inToken, uniqueName("rolled"), softwareKey()).leaf()).isNotNull();

        Account back = inToken.changeKey(softwareKey);

        assertThat(client.findAccount(softwareKey).url()).isEqualTo(account.url());
        assertThatThrownBy(() -> client.findAccount(tokenKey))
                .isInstanceOfSatisfying(AcmeServerException.class,
                        e -> assertThat(e.problem().isAcmeError("accountDoesNotExist")).isTrue());
        assertThat(back.signer()).isSameAs(softwareKey);
    }

    /** Issues through the flow, answering dns-01 through the test kit's challenge test server. */
    private static CertificateChain issue(Account account, String name, AcmeSigner certificateKey) throws Exception {
        ChallengeTestServer dns = pebble.server().dns();
        DnsProvider provider = new DnsProvider() {
            @Override
            public void setTxt(String record, String value) {
                dns.setTxt(record, value);
            }

            @Override
            public void removeTxt(String record, String value) {
                dns.clearTxt(record);
            }
        };
        return account.issue(IssuanceRequest.builder().domains(name).certificateKey(certificateKey)
                .solvers(Dns01Solver.using(provider)).build()).chain();
    }

    private static AcmeSigner softwareKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        return Signers.jca(pair.getPrivate(), pair.getPublic());
    }

    private static String uniqueName(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 8) + ".keyward.test";
    }
}
