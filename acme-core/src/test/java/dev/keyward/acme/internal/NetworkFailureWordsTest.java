package dev.keyward.acme.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.acme.AcmeClient;
import dev.keyward.acme.AcmeNetworkException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * A network failure reaches the caller in plain words, never as a Java class name ("IOException:
 * unexpected end of stream" was what users saw), with the platform's own detail capped and escaped.
 */
class NetworkFailureWordsTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new UnknownHostException("ca.invalid"), "the host name does not resolve (ca.invalid)"),
                Arguments.of(new ConnectException("Failed to connect to /127.0.0.1:1"),
                        "the connection was refused or could not be made (Failed to connect to /127.0.0.1:1)"),
                Arguments.of(new NoRouteToHostException(), "there is no route to the host"),
                Arguments.of(new SSLHandshakeException("no cipher suites in common"),
                        "TLS failed (no cipher suites in common)"),
                Arguments.of(new IOException("unexpected end of stream on http://127.0.0.1:9/..."),
                        "the connection closed before the answer was complete (unexpected end of stream on"
                                + " http://127.0.0.1:9/...)"),
                Arguments.of(new EOFException(), "the connection closed before the answer was complete"),
                Arguments.of(new SocketException("Connection reset"), "the connection broke (Connection reset)"),
                Arguments.of(new IOException("\u001b]0;x\u0007" + "A".repeat(5000)), null));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailureIsDescribedInWordsWithItsDetailCappedAndEscaped(IOException failure, String expected) {
        String described = HttpTransport.describe(failure);

        if (expected != null) {
            assertThat(described).isEqualTo(expected);
        }
        assertThat(described).doesNotContain("Exception").hasSizeLessThan(320);
        assertThat(described.chars().filter(c -> c < 0x20 || c == 0x7f)).as("control characters").isEmpty();
    }

    @Test
    void aRefusedConnectionToTheCaSaysSoWithoutAClassName() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (AcmeClient client = AcmeClient.builder(URI.create("http://127.0.0.1:" + closedPort + "/dir"))
                .allowPlainHttp(true).build()) {
            AcmeNetworkException e = org.junit.jupiter.api.Assertions.assertThrows(AcmeNetworkException.class,
                    client::fetchDirectory);

            assertThat(e.getMessage()).contains("GET http://127.0.0.1:" + closedPort + "/dir")
                    .contains("refused").doesNotContain("Exception");
        }
    }
}
