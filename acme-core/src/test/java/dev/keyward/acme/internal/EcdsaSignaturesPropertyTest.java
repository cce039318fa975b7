package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * The ECDSA signature conversion between DER ({@code SEQUENCE { INTEGER r, INTEGER s }}) and the
 * fixed-length R||S of JWS (RFC 7518 section 3.4), checked against BouncyCastle's DER encoder:
 * for r and s of every length on P-256, P-384 and P-521, with leading zero bytes and the top bit
 * set or not, both directions agree with BouncyCastle and round-trip; any other bytes are refused
 * with {@link IllegalArgumentException} and nothing else.
 */
class EcdsaSignaturesPropertyTest {
    private static final List<Integer> COORDINATE_LENGTHS = List.of(32, 48, 66);

    @Property(tries = 1000)
    void rsRoundTripsThroughDerAsBouncyCastleEncodesIt(@ForAll("signatures") Signature signature) {
        byte[] der = EcdsaSignatures.concatToDer(signature.concat());

        assertThat(der).isEqualTo(bouncyCastleDer(signature.r, signature.s));
        assertThat(EcdsaSignatures.derToConcat(der, signature.coordinateLength)).isEqualTo(signature.concat());
    }

    @Property(tries = 1000)
    void anyBytesAreASignatureOfTheRightLengthOrAnIllegalArgument(@ForAll("garbage") byte[] bytes,
            @ForAll("coordinateLengths") int coordinateLength) {
        assertConvertsOrRefuses(bytes, coordinateLength);
    }

    @Property(tries = 1000)
    void aDamagedSignatureIsOfTheRightLengthOrAnIllegalArgument(
            @ForAll("damagedSignatures") Tuple.Tuple2<byte[], Integer> damaged) {
        assertConvertsOrRefuses(damaged.get1(), damaged.get2());
    }

    @Property(tries = 1000)
    void anyEvenLengthConcatenationIsTheCanonicalDerOfItsTwoHalves(@ForAll("evenLength") byte[] concat) {
        byte[] der = EcdsaSignatures.concatToDer(concat);

        int half = concat.length / 2;
        assertThat(der).isEqualTo(bouncyCastleDer(Arrays.copyOfRange(concat, 0, half),
                Arrays.copyOfRange(concat, half, concat.length)));
    }

    // ---- generators

    @Provide
    Arbitrary<Integer> coordinateLengths() {
        return Arbitraries.of(COORDINATE_LENGTHS);
    }

    @Provide
    Arbitrary<Signature> signatures() {
        return coordinateLengths().flatMap(length -> Combinators.combine(unsigned(length), unsigned(length))
                .as((r, s) -> new Signature(length, r, s)));
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(160),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(160).map(bytes -> {
                    byte[] sequence = Arrays.copyOf(bytes, Math.max(bytes.length, 2));
                    sequence[0] = 0x30;
                    return sequence;
                }));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<byte[], Integer>> damagedSignatures() {
        Arbitrary<int[]> edits = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 255))
                .as((kind, position, value) -> new int[] {kind, position, value}).list().ofMinSize(1).ofMaxSize(3)
                .map(list -> list.stream().flatMapToInt(Arrays::stream).toArray());
        return Combinators.combine(signatures(), edits).as((signature, flat) -> {
            byte[] der = EcdsaSignatures.concatToDer(signature.concat());
            for (int i = 0; i < flat.length; i += 3) {
                der = edit(der, flat[i], flat[i + 1], (byte) flat[i + 2]);
            }
            return Tuple.of(der, signature.coordinateLength);
        });
    }

    @Provide
    Arbitrary<byte[]> evenLength() {
        return Arbitraries.integers().between(1, 132).flatMap(half -> Combinators.combine(unsigned(half),
                unsigned(half)).as((r, s) -> {
                    byte[] concat = Arrays.copyOf(r, 2 * half);
                    System.arraycopy(s, 0, concat, half, half);
                    return concat;
                }));
    }

    /** {@code length} bytes, big-endian unsigned, with from none to all of the leading bytes zero. */
    private static Arbitrary<byte[]> unsigned(int length) {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(length),
                Arbitraries.integers().between(0, length)).as((bytes, zeros) -> {
                    Arrays.fill(bytes, 0, zeros, (byte) 0);
                    return bytes;
                });
    }

    // ---- helpers

    private static void assertConvertsOrRefuses(byte[] bytes, int coordinateLength) {
        byte[] concat;
        try {
            concat = EcdsaSignatures.derToConcat(bytes, coordinateLength);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(concat).hasSize(2 * coordinateLength);
    }

    private static byte[] edit(byte[] der, int kind, int position, byte value) {
        if (der.length == 0) {
            return kind == 2 ? new byte[] {value} : der;
        }
        int at = position % der.length;
        switch (kind) {
            case 0:
                byte[] flipped = der.clone();
                flipped[at] = value;
                return flipped;
            case 1:
                return Arrays.copyOf(der, at);
            case 2:
                byte[] longer = Arrays.copyOf(der, der.length + 1);
                System.arraycopy(der, at, longer, at + 1, der.length - at);
                longer[at] = value;
                return longer;
            default:
                byte[] shorter = new byte[der.length - 1];
                System.arraycopy(der, 0, shorter, 0, at);
                System.arraycopy(der, at + 1, shorter, at, der.length - at - 1);
                return shorter;
        }
    }

    private static byte[] bouncyCastleDer(byte[] r, byte[] s) {
        try {
            byte[] der = new DERSequence(new ASN1Integer[] {new ASN1Integer(new BigInteger(1, r)),
                new ASN1Integer(new BigInteger(1, s))}).getEncoded(ASN1Encoding.DER);
            ASN1Sequence reread = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            assertThat(reread.size()).isEqualTo(2);
            return der;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ECDSA signature: r and s as unsigned big-endian bytes of the curve's coordinate length. */
    static final class Signature {
        final int coordinateLength;
        final byte[] r;
        final byte[] s;

        Signature(int coordinateLength, byte[] r, byte[] s) {
            this.coordinateLength = coordinateLength;
            this.r = r;
            this.s = s;
        }

        byte[] concat() {
            byte[] concat = Arrays.copyOf(r, 2 * coordinateLength);
            System.arraycopy(s, 0, concat, coordinateLength, coordinateLength);
            return concat;
        }

        @Override
        public String toString() {
            return "P-" + coordinateLength + " r=" + new BigInteger(1, r).toString(16) + " s="
                    + new BigInteger(1, s).toString(16);
        }
    }
}
