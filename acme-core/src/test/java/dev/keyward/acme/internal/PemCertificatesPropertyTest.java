package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeProtocolException;
import dev.keyward.acme.TestCertificates;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The PEM chain parser ({@code application/pem-certificate-chain}, RFC 8555 section 7.4.2, RFC
 * 7468). Any text, and any damage to a real chain, yields certificates or an
 * {@link AcmeProtocolException} naming the chain; a chain written by this library or by
 * BouncyCastle, with explanatory text around the blocks and any line breaks inside them, parses
 * back to the same certificates.
 */
class PemCertificatesPropertyTest {
    private static final String WHAT = "certificate chain https://ca.example/acme/cert/1";
    private static final List<X509Certificate> POOL = pool();

    @Property(tries = 1000)
    void anyTextIsCertificatesOrAProtocolErrorNamingTheChain(@ForAll("texts") String text) {
        List<X509Certificate> certificates;
        try {
            certificates = PemCertificates.parse(text, WHAT);
        } catch (AcmeProtocolException refused) {
            assertThat(refused.getMessage()).startsWith(WHAT);
            return;
        }
        assertThat(certificates).isNotEmpty().doesNotContainNull();
    }

    @Property(tries = 300)
    void aChainWrittenHereParsesBackToTheSameCertificates(@ForAll("chains") List<X509Certificate> chain) {
        assertThat(PemCertificates.parse(PemCertificates.write(chain), WHAT)).containsExactlyElementsOf(chain);
    }

    @Property(tries = 300)
    void aChainFromAnotherWriterWithTextAroundAndAnyLineBreaksParsesToTheSameCertificates(
            @ForAll("chains") List<X509Certificate> chain, @ForAll("lineWidths") int width,
            @ForAll("lineBreaks") String lineBreak, @ForAll("explanatoryTexts") List<String> around) {
        StringBuilder pem = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            pem.append(around.get(i % around.size())).append(lineBreak);
            pem.append(rewrapped(TestCertificates.pem(List.of(chain.get(i))), width, lineBreak));
        }
        pem.append(around.get(0));

        assertThat(PemCertificates.parse(pem.toString(), WHAT)).containsExactlyElementsOf(chain);
    }

    @Provide
    Arbitrary<List<X509Certificate>> chains() {
        return Arbitraries.of(POOL).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> tokens = Arbitraries.of("-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----",
                "-----BEGIN CERTIFICATE-----\n", "\n-----END CERTIFICATE-----", "MII", "AAAA", "====", "\r\n", " ",
                "-----BEGIN PRIVATE KEY-----", "=", "Zm9v", "/+", "-_", "\u00e9").list().ofMaxSize(12)
                .map(parts -> String.join("", parts));
        return Arbitraries.frequencyOf(
                Tuple.of(4, damaged()),
                Tuple.of(2, tokens),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        + "0123456789+/=\n").ofMaxLength(400)
                        .map(body -> "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n")));
    }

    @Provide
    Arbitrary<Integer> lineWidths() {
        return Arbitraries.integers().between(1, 120);
    }

    @Provide
    Arbitrary<String> lineBreaks() {
        return Arbitraries.of("\n", "\r\n", "\r", "\n\n", " \t\n");
    }

    @Provide
    Arbitrary<List<String>> explanatoryTexts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("\n\u00e9").ofMaxLength(60)
                .filter(text -> !text.contains("-----")).list().ofMinSize(1).ofMaxSize(3);
    }

    /** A real chain with one to five edits: characters deleted, inserted, replaced, or the text cut short. */
    private Arbitrary<String> damaged() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.of('A', 'z', '0', '+', '/', '=', '-', '\n', ' ', '!', '\u00ff')).as(Edit::new);
        return Combinators.combine(chains(), edit.list().ofMinSize(1).ofMaxSize(5)).as((chain, edits) -> {
            StringBuilder text = new StringBuilder(PemCertificates.write(chain));
            for (Edit e : edits) {
                e.applyTo(text);
            }
            return text.toString();
        });
    }

    private static String rewrapped(String pem, int width, String lineBreak) {
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        String body = pem.substring(pem.indexOf(begin) + begin.length(), pem.indexOf(end)).replaceAll("\\s", "");
        StringBuilder out = new StringBuilder(begin).append(lineBreak);
        for (int i = 0; i < body.length(); i += width) {
            out.append(body, i, Math.min(body.length(), i + width)).append(lineBreak);
        }
        return out.append(end).append(lineBreak).toString();
    }

    private static List<X509Certificate> pool() {
        List<X509Certificate> pool = new ArrayList<>();
        pool.addAll(TestCertificates.chain(key("EC", new ECGenParameterSpec("secp256r1")), "www.example.org"));
        pool.addAll(TestCertificates.chain(key("EC", new ECGenParameterSpec("secp384r1")), "a.example", "b.example"));
        pool.addAll(TestCertificates.chain(key("RSA", null), "rsa.example"));
        return pool;
    }

    private static PublicKey key(String algorithm, ECGenParameterSpec curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                generator.initialize(curve);
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One edit at one position of a text. */
    private static final class Edit {
        private final int kind;
        private final int position;
        private final char character;

        Edit(int kind, int position, char character) {
            this.kind = kind;
            this.position = position;
            this.character = character;
        }

        void applyTo(StringBuilder text) {
            if (text.length() == 0) {
                text.append(character);
                return;
            }
            int at = position % text.length();
            switch (kind) {
                case 0:
                    text.deleteCharAt(at);
                    break;
                case 1:
                    text.insert(at, character);
                    break;
                case 2:
                    text.setCharAt(at, character);
                    break;
                default:
                    text.setLength(at);
            }
        }

        @Override
        public String toString() {
            return List.of("delete", "insert", "replace", "cut").get(kind) + "@" + position
                    + (kind == 1 || kind == 2 ? "='" + character + "'" : "");
        }
    }
}
