package dev.keyward.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CA (or a proxy in front of it) may send interim 1xx statuses before its answer (RFC 9110
 * section 15.2: a client must accept one or more of them). They are skipped and the final answer is
 * what counts; OkHttp 4 used to trip over its own state here ({@code IllegalStateException: state:
 * 0}), which the transport still turns into a protocol error in this library's words.
 */
class InterimAnswerTest {
    private static final String DIRECTORY = "{\"newNonce\":\"http://127.0.0.1/nonce\","
            + "\"newAccount\":\"http://127.0.0.1/account\",\"newOrder\":\"http://127.0.0.1/order\"}";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + DIRECTORY.length() + "\r\n\r\n" + DIRECTORY;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"103 Early Hints,103 Early Hints", "100 Continue,100 Continue",
            "103 Early Hints,100 Continue", "102 Processing,102 Processing,102 Processing"})
    void interimStatusesBeforeTheAnswerAreSkippedAndTheFinalAnswerIsRead(String interims) throws Exception {
        StringBuilder answer = new StringBuilder();
        for (String interim : interims.split(",")) {
            answer.append("HTTP/1.1 ").append(interim).append("\r\n\r\n");
        }
        answer.append(OK);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answer(server, answer.toString()), "interim-ca");
            answering.setDaemon(true);
            answering.start();
            AcmeClient client = AcmeClient.builder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/dir"))
                    .allowPlainHttp(true).clock(new FakeClock()).build();

            Directory directory = client.fetchDirectory();

            assertThat(directory.newNonce()).isEqualTo(URI.create("http://127.0.0.1/nonce"));
            assertThat(directory.newOrder()).isEqualTo(URI.create("http://127.0.0.1/order"));
        }
    }

    /** Answers every request with the same bytes, then closes the connection. */
    private static void answer(ServerSocket server, String answer) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                if (socket.getInputStream().read(new byte[8192]) < 0) {
                    continue;
                }
                OutputStream out = socket.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.shutdownOutput();
                socket.getInputStream().read(new byte[8192]);
            } catch (IOException e) {
                return;
            }
        }
    }
}
