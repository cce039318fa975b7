package dev.keyward.acme.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChallengeTestServerTest {

    @RegisterExtension
    static PebbleExtension pebble = PebbleExtension.builder().build();

    @Test
    void aTxtRecordSetThroughTheManagementApiIsAnsweredByTheDnsPort(PebbleServer server) throws Exception {
        server.dns().setTxt("_acme-challenge.set.example.test", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");

        assertThat(lookup(server, "_acme-challenge.set.example.test", "TXT"))
                .containsExactly("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
    }

    @Test
    void txtValuesAccumulateUntilCleared(PebbleServer server) throws Exception {
        ChallengeTestServer dns = server.dns();
        dns.setTxt("_acme-challenge.both.example.test.", "first");
        dns.setTxt("_acme-challenge.both.example.test", "second");

        assertThat(lookup(server, "_acme-challenge.both.example.test", "TXT")).containsExactlyInAnyOrder("first", "second");

        dns.clearTxt("_acme-challenge.both.example.test");

        assertThat(lookup(server, "_acme-challenge.both.example.test", "TXT")).isEmpty();
    }

    @Test
    void hostsAnswerLoopbackForAAndNothingForAaaaUnlessAnARecordIsAdded(PebbleServer server) throws Exception {
        assertThat(lookup(server, "any.example.test", "A")).containsExactly("127.0.0.1");
        assertThat(lookup(server, "any.example.test", "AAAA")).isEmpty();

        server.dns().addA("moved.example.test", List.of("127.0.0.2"));
        assertThat(lookup(server, "moved.example.test", "A")).containsExactly("127.0.0.2");

        server.dns().clearA("moved.example.test");
        assertThat(lookup(server, "moved.example.test", "A")).containsExactly("127.0.0.1");
    }

    @Test
    void aRequestChalltestsrvRejectsBecomesAnUncheckedIoException(PebbleServer server) {
        assertThatThrownBy(() -> server.dns().setTxt("empty.example.test", ""))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("400");
    }

    @Test
    void anUnreachableManagementApiFailsWithinTheTimeout() {
        ChallengeTestServer nowhere = ChallengeTestServer.of(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2));

        assertThatThrownBy(() -> nowhere.setTxt("a.test", "x")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void hostNamesGetTheirFinalDotAndEmptyNamesAreRejected() {
        assertThat(ChallengeTestServer.fullyQualified("_acme-challenge.example.test"))
                .isEqualTo("_acme-challenge.example.test.");
        assertThat(ChallengeTestServer.fullyQualified("example.test.")).isEqualTo("example.test.");
        assertThatThrownBy(() -> ChallengeTestServer.fullyQualified(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallengeTestServer.of(URI.create("https://127.0.0.1:1/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theManagementUriAlwaysEndsWithASlash() {
        assertThat(ChallengeTestServer.of(URI.create("http://127.0.0.1:8055")).managementUri())
                .isEqualTo(URI.create("http://127.0.0.1:8055/"));
    }

    private static List<String> lookup(PebbleServer server, String name, String type) throws NamingException {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        environment.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + server.dnsAddress().getPort());
        environment.put("com.sun.jndi.dns.timeout.initial", "2000");
        environment.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext context = new InitialDirContext(environment);
        try {
            Attribute attribute = context.getAttributes(name, new String[] {type}).get(type);
            List<String> values = new ArrayList<>();
            if (attribute != null) {
                NamingEnumeration<?> all = attribute.getAll();
                while (all.hasMore()) {
                    values.add(all.next().toString());
                }
            }
            return values;
        } finally {
            context.close();
        }
    }
}
